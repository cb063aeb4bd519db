package org.wrenmq.it.durability;

/** How a test takes the broker down before restarting it on the same store. */
enum Shutdown {
    /** SIGTERM: the shutdown hook closes the broker and its store. */
    CLEAN_STOP {
        @Override
        void apply(BrokerProcess broker) {
            broker.stop();
        }
    },
    /** SIGKILL: nothing runs in the broker after the signal. */
    KILL_9 {
        @Override
        void apply(BrokerProcess broker) {
            broker.kill();
        }
    };

    abstract void apply(BrokerProcess broker);
}
