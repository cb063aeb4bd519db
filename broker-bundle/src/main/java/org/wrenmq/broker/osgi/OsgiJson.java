package org.wrenmq.broker.osgi;

import jakarta.json.bind.Jsonb;
import jakarta.json.spi.JsonProvider;
import java.util.ServiceLoader;
import org.eclipse.parsson.api.BufferPool;
import org.wrenmq.broker.json.JsonWriter;
import org.wrenmq.broker.json.JsonbWriter;

/**
 * JSON-B inside OSGi: {@code ServiceLoader} does not see across bundles, so Yasson is created directly and given
 * the JSON-P provider found through Parsson's own class loader.
 */
final class OsgiJson {
    private OsgiJson() {
    }

    static JsonWriter writer() {
        return new JsonbWriter(OsgiJson::jsonb);
    }

    private static Jsonb jsonb() {
        JsonProvider jsonp = ServiceLoader.load(JsonProvider.class, BufferPool.class.getClassLoader())
                .findFirst().orElseGet(JsonProvider::provider);
        return new org.eclipse.yasson.JsonBindingProvider().create().withProvider(jsonp).build();
    }
}
