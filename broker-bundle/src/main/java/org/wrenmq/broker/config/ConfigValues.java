package org.wrenmq.broker.config;

import org.wrenmq.broker.ConfigException;

/** Reads one config value of a kind (a whole number in a range, true/false, ...), with the error an operator reads. */
public final class ConfigValues {

    private ConfigValues() {
    }

    public static String nonEmpty(String key, String v) {
        if (v.isEmpty()) {
            throw new ConfigException(key + " needs a value");
        }
        return v;
    }

    /** A path value; one Java cannot make (a NUL byte in it) is a config error like any other bad value. */
    public static java.nio.file.Path path(String key, String v) {
        try {
            return java.nio.file.Path.of(nonEmpty(key, v));
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(key + " is not a usable path: " + e.getReason());
        }
    }

    public static boolean bool(String key, String v) {
        switch (v) {
            case "true": return true;
            case "false": return false;
            default: throw new ConfigException(key + " must be true or false, not '" + v + "'");
        }
    }

    public static int integer(String key, String v, int min, int max) {
        return (int) longValue(key, v, min, max);
    }

    public static long longValue(String key, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new ConfigException(key + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }
}
