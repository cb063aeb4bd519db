package org.wrenmq.bench.load;

/**
 * A broker under test: its name in the table, where it listens on loopback and the PID whose CPU time and
 * memory are read from /proc. A cluster is measured across nodes: publishers connect to {@code port}, subscribers
 * to {@code subscriberPort} (another node); CPU and memory are the publishing node's.
 */
record Target(String name, String host, int port, int subscriberPort, long pid) {

    /** Parses {@code NAME=PORT:PID} (run.sh) or {@code NAME=PUBLISHER_PORT/SUBSCRIBER_PORT:PID} (cluster.sh). */
    static Target parse(String spec) {
        int eq = spec.indexOf('=');
        int colon = spec.lastIndexOf(':');
        if (eq <= 0 || colon < eq) {
            throw new IllegalArgumentException("expected NAME=PORT[/SUBSCRIBER_PORT]:PID, got " + spec);
        }
        String[] ports = spec.substring(eq + 1, colon).split("/");
        int port = Integer.parseInt(ports[0]);
        return new Target(spec.substring(0, eq), "127.0.0.1", port,
                ports.length > 1 ? Integer.parseInt(ports[1]) : port, Long.parseLong(spec.substring(colon + 1)));
    }
}
