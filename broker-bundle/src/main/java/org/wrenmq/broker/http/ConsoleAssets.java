package org.wrenmq.broker.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web console's page, script and style, read once from the broker's jar: plain HTML, CSS and JavaScript, no
 * build step. They hold no data (that comes from {@link ConsoleApi} after login), so they are served without one.
 * The content security policy allows only these files: no inline script, nothing from elsewhere.
 */
final class ConsoleAssets {
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/console.js", new String[] {"console.js", "text/javascript; charset=utf-8"},
            "/console.css", new String[] {"console.css", "text/css; charset=utf-8"});

    private final Map<String, byte[]> content;

    ConsoleAssets() {
        content = new java.util.HashMap<>();
        FILES.forEach((path, file) -> content.put(path, read(file[0])));
    }

    /** The asset at {@code path}, or null. */
    FullHttpResponse get(String path) {
        byte[] bytes = content.get(path);
        if (bytes == null) {
            return null;
        }
        FullHttpResponse r = HttpResponses.body(HttpResponseStatus.OK, FILES.get(path)[1], bytes);
        r.headers().set(HttpHeaderNames.CONTENT_SECURITY_POLICY, POLICY);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    private static byte[] read(String file) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("console/" + file)) {
            if (in == null) {
                throw new IllegalStateException("console/" + file + " is missing from the broker's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
