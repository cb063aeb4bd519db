package org.wrenmq.broker.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The few kinds of response the HTTP listener sends: plain text for probes and errors, JSON for the console. */
final class HttpResponses {
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";

    private HttpResponses() {
    }

    static FullHttpResponse text(HttpResponseStatus status, String message) {
        return body(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static FullHttpResponse json(HttpResponseStatus status, String json) {
        FullHttpResponse r = body(status, JSON, json.getBytes(StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    static FullHttpResponse body(HttpResponseStatus status, String contentType, byte[] content) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(content));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set("X-Content-Type-Options", "nosniff");
        return r;
    }
}
