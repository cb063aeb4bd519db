package org.wrenmq.broker.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.wrenmq.broker.auth.Authenticator;

/**
 * HTTP basic authentication by the broker's own rule for MQTT clients: without credentials the caller is
 * anonymous and needs {@code allow_anonymous true}; with them, the user and password must match the
 * {@code password_file} (mosquitto_passwd hashes). So whoever may connect over MQTT may read the metrics.
 */
final class BasicLogin {
    /** What a browser or Prometheus is told to answer a 401 with. */
    static final String CHALLENGE = "Basic realm=\"WrenMQ\", charset=\"UTF-8\"";
    private static final String BASIC = "Basic ";

    private final Authenticator authenticator;

    BasicLogin(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** The user name the request logged in with ("" for anonymous), or null when it may not in. */
    String userOf(HttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            return authenticator.check(null, null) == Authenticator.Result.ACCEPTED ? "" : null;
        }
        if (!header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = credentials.substring(0, colon);
        byte[] password = credentials.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        return authenticator.check(user, password) == Authenticator.Result.ACCEPTED ? user : null;
    }
}
