package org.wrenmq.bench.load;

import java.util.List;

/** A bounded load run against one broker; the same instance is run against every target in turn. */
interface Workload {

    /** The row label in the table, e.g. "QoS 0 fan-in 8→1". */
    String title();

    /** Short name for {@code --only}. */
    String key();

    /**
     * Whether this workload must see a broker that has served no load yet: memory figures would otherwise
     * measure what earlier workloads left behind (a JVM's grown heap), not what this one costs.
     */
    default boolean needsFreshBroker() {
        return false;
    }

    /** Runs once, bounded in message count and time, and returns its figures in table order. */
    List<Metric> run(Target target, LoadContext context) throws Exception;
}
