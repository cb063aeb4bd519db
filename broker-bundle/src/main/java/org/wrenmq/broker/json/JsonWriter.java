package org.wrenmq.broker.json;

/**
 * Turns an object into JSON text for {@code MqttPublisher.publishJson}. The home hands the broker one that works
 * where it runs: on a plain class path {@link JsonbWriter#standard()}; in OSGi one built with the bundles' class
 * loaders (see the osgi package).
 */
public interface JsonWriter extends AutoCloseable {

    String toJson(Object value);

    /** Releases what the JSON provider holds; the writer is not used afterwards. */
    @Override
    void close();
}
