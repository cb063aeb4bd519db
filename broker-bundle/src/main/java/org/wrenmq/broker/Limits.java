package org.wrenmq.broker;

/**
 * The broker's built-in limits and timings that have no config key (yet), next to {@link BrokerConfig}, which
 * holds those an operator sets. Each constant is named after the key it would take, with its default; where
 * crossing it refuses or drops something, the doc names the counter and the log line.
 */
public final class Limits {

    /**
     * {@code write_buffer_high_water_mark}: a connection stops taking messages once this much is buffered towards
     * a slow client; they wait in the session's bounded queue ({@code max_queued_messages}, counter
     * {@code messages.dropped.queue_full}, log "queue of client ... is full"). Bytes.
     */
    public static final int WRITE_BUFFER_HIGH_WATER_MARK = 1024 * 1024;
    /** {@code write_buffer_low_water_mark}: below this the connection takes messages again. Bytes. */
    public static final int WRITE_BUFFER_LOW_WATER_MARK = 512 * 1024;
    /**
     * {@code write_flush_bytes}: a connection's writes wait for the end of the event loop's turn to be flushed
     * together, but no longer than until this much has been written to it. A turn can read megabytes from many
     * publishers (seconds on a broker just started, or short of CPU), and the subscriber must not wait for all of
     * it. Bytes.
     */
    public static final int WRITE_FLUSH_BYTES = 64 * 1024;
    /** {@code listen_backlog}: connections the kernel holds for accepting, per listener. */
    public static final int LISTEN_BACKLOG = 1024;
    /**
     * {@code keepalive_check_interval}: how often each event loop looks for clients silent for 1.5 x their keep
     * alive (counter {@code connections.closed.keepalive}, log "sent nothing for 1.5 x its keepalive"). Ms.
     */
    public static final long KEEPALIVE_CHECK_INTERVAL_MILLIS = 1000;
    /**
     * {@code shared_qos0_max_payload}: QoS 0 packets up to this payload are encoded once per event loop and
     * shared by its subscribers; larger ones are encoded per subscriber. Bounds what each loop keeps. Bytes.
     */
    public static final int SHARED_QOS0_MAX_PAYLOAD = 64 * 1024;
    /** {@code local_redelivery_delay}: an in-VM listener that rejected a message gets it again after this. Ms. */
    public static final long LOCAL_REDELIVERY_DELAY_MILLIS = 100;
    /** {@code shutdown_disconnect_timeout}: how long a clean stop waits for the goodbye DISCONNECTs. Ms. */
    public static final long SHUTDOWN_DISCONNECT_MILLIS = 2000;

    private Limits() {
    }
}
