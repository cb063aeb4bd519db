package org.wrenmq.bench.load;

/** One figure of one workload against one broker. */
record Metric(String name, double value, Better better) {

    enum Better { HIGHER, LOWER, NEITHER }

    static Metric higher(String name, double value) {
        return new Metric(name, value, Better.HIGHER);
    }

    static Metric lower(String name, double value) {
        return new Metric(name, value, Better.LOWER);
    }

    static Metric info(String name, double value) {
        return new Metric(name, value, Better.NEITHER);
    }
}
