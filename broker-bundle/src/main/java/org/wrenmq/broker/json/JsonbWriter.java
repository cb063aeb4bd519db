package org.wrenmq.broker.json;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON through JSON-B, made on first use (most brokers never publish JSON in-VM). */
public final class JsonbWriter implements JsonWriter {
    private static final Logger LOG = LoggerFactory.getLogger(JsonbWriter.class);

    private final Supplier<Jsonb> factory;
    private Jsonb jsonb;

    public JsonbWriter(Supplier<Jsonb> factory) {
        this.factory = factory;
    }

    /** The JSON-B provider found by {@code ServiceLoader}: right on a class path, not across OSGi bundles. */
    public static JsonbWriter standard() {
        return new JsonbWriter(JsonbBuilder::create);
    }

    @Override
    public synchronized String toJson(Object value) {
        if (jsonb == null) {
            jsonb = factory.get();
        }
        return jsonb.toJson(value);
    }

    @Override
    public synchronized void close() {
        if (jsonb != null) {
            try {
                jsonb.close();
            } catch (Exception e) {
                LOG.debug("closing JSON-B: {}", e.toString());
            }
            jsonb = null;
        }
    }
}
