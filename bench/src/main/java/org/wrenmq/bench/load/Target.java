package org.wrenmq.bench.load;

/**
 * A broker under test: its name in the table, where it listens on loopback and the PID whose CPU time and
 * memory are read from /proc.
 */
record Target(String name, String host, int port, long pid) {

    /** Parses {@code NAME=PORT:PID}, the form run.sh passes. */
    static Target parse(String spec) {
        int eq = spec.indexOf('=');
        int colon = spec.lastIndexOf(':');
        if (eq <= 0 || colon < eq) {
            throw new IllegalArgumentException("expected NAME=PORT:PID, got " + spec);
        }
        return new Target(spec.substring(0, eq), "127.0.0.1",
                Integer.parseInt(spec.substring(eq + 1, colon)), Long.parseLong(spec.substring(colon + 1)));
    }
}
