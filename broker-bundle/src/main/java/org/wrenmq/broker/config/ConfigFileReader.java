package org.wrenmq.broker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.wrenmq.broker.ConfigException;

/**
 * Reads mosquitto's config syntax: one {@code key value} per line, {@code #} starts a comment line, blank lines
 * are ignored. Every error is reported as {@code FILE:LINE: what is wrong}, so an operator can go straight to it.
 */
public final class ConfigFileReader {

    /**
     * Takes each setting as read (the broker config's builder), with where it was read ({@code FILE:LINE}, which
     * a listener block keeps for errors about the block as a whole). @throws ConfigException for a bad one
     */
    @FunctionalInterface
    public interface Settings {
        void set(String where, String key, String value);
    }

    private ConfigFileReader() {
    }

    public static void read(Path file, Settings into) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = indexOfWhitespace(line);
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1).strip();
            try {
                into.set(file + ":" + (i + 1), key, value);
            } catch (ConfigException e) {
                throw new ConfigException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
