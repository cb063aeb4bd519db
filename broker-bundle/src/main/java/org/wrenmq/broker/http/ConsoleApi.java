package org.wrenmq.broker.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttBroker;
import org.wrenmq.api.MqttBroker.ClientInfo;
import org.wrenmq.api.MqttBroker.SubscriptionInfo;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttPublishException;
import org.wrenmq.api.MqttPublisher;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.json.JsonWriter;

/**
 * The JSON endpoints under {@code /api/} behind the web console; every one needs a login and follows the
 * {@code acl_file} ({@link ConsoleUser}). Reads go through the admin view ({@link MqttBroker}), test messages
 * through the in-VM {@link MqttPublisher}, as the Karaf shell commands do.
 *
 * <p>Changes are {@code POST}s with a form body and the header {@link #CSRF_HEADER}: a page of another site can
 * make a browser send a form, but not with a header of its own choosing.
 */
final class ConsoleApi {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);
    static final String CSRF_HEADER = "X-WrenMQ-Console";
    /** Rows a list answers with at most; the answer says how many there were. */
    static final int MAX_ROWS = 1000;

    private final MqttBroker broker;
    private final MqttPublisher publisher;
    private final JsonWriter json;
    private final RateHistory history;

    // What the endpoints answer, as JSON; public, as JSON-B reads them by reflection.

    public record Page<T>(List<T> rows, int total) {
    }

    public record Overview(String user, boolean maySeeClients, boolean mayDisconnect, Map<String, Long> counters,
                    List<RateHistory.Sample> history, int sampleSeconds) {
    }

    public record Subscription(String clientId, String topicFilter, int qos, String shareGroup) {
    }

    public record Retained(String topic, int qos, int bytes, String text, boolean mayDelete) {
    }

    public record Done(String message) {
    }

    public record Failure(String error) {
    }

    ConsoleApi(MqttBroker broker, MqttPublisher publisher, JsonWriter json, RateHistory history) {
        this.broker = broker;
        this.publisher = publisher;
        this.json = json;
        this.history = history;
    }

    CompletionStage<FullHttpResponse> handle(FullHttpRequest request, String path, ConsoleUser user) {
        boolean post = HttpMethod.POST.equals(request.method());
        if (post && !request.headers().contains(CSRF_HEADER)) {
            return done(HttpResponseStatus.FORBIDDEN, new Failure("changes need the header " + CSRF_HEADER));
        }
        Map<String, List<String>> params = post
                ? new QueryStringDecoder(request.content().toString(StandardCharsets.UTF_8), false).parameters()
                : new QueryStringDecoder(request.uri()).parameters();
        try {
            switch ((post ? "POST " : "GET ") + path) {
                case "GET /api/overview": return ok(overview(user));
                case "GET /api/clients": return user.maySeeClients() ? ok(clients(param(params, "q"))) : denied();
                case "GET /api/client": return user.maySeeClients() ? client(param(params, "id")) : denied();
                case "GET /api/subscriptions":
                    return user.maySeeClients() ? ok(subscriptions(param(params, "q"))) : denied();
                case "GET /api/retained": return ok(retained(param(params, "filter"), user));
                case "POST /api/disconnect": return user.mayDisconnect() ? disconnect(param(params, "id"), user)
                        : denied();
                case "POST /api/retained/delete": return deleteRetained(param(params, "topic"), user);
                case "POST /api/publish": return publish(params, user);
                default:
                    return done(HttpResponseStatus.NOT_FOUND, new Failure("no such endpoint: " + path));
            }
        } catch (IllegalArgumentException e) {
            return done(HttpResponseStatus.BAD_REQUEST, new Failure(e.getMessage()));
        }
    }

    private Overview overview(ConsoleUser user) {
        return new Overview(user.name(), user.maySeeClients(), user.mayDisconnect(), new TreeMap<>(broker.counters()),
                history.samples(), RateHistory.INTERVAL_SECONDS);
    }

    private Page<ClientInfo> clients(String search) {
        List<ClientInfo> found = new ArrayList<>();
        for (ClientInfo c : broker.clients()) {
            if (contains(c.clientId(), search) || contains(c.remoteAddress(), search)) {
                found.add(c);
            }
        }
        found.sort(Comparator.comparing(ClientInfo::clientId));
        return page(found);
    }

    private CompletionStage<FullHttpResponse> client(String clientId) {
        return broker.client(clientId).map(this::ok)
                .orElseGet(() -> done(HttpResponseStatus.NOT_FOUND, new Failure("no session '" + clientId + "'")));
    }

    private Page<Subscription> subscriptions(String search) {
        List<Subscription> found = new ArrayList<>();
        for (SubscriptionInfo s : broker.subscriptions()) {
            if (contains(s.clientId(), search) || contains(s.topicFilter(), search)) {
                found.add(new Subscription(s.clientId(), s.topicFilter(), s.qos().value(), shareGroup(s.topicFilter())));
            }
        }
        found.sort(Comparator.comparing(Subscription::topicFilter).thenComparing(Subscription::clientId));
        return page(found);
    }

    /** The group of {@code $share/GROUP/filter}, or null. */
    static String shareGroup(String filter) {
        if (!filter.startsWith("$share/")) {
            return null;
        }
        int end = filter.indexOf('/', "$share/".length());
        return end < 0 ? null : filter.substring("$share/".length(), end);
    }

    private Page<Retained> retained(String filter, ConsoleUser user) {
        List<Retained> found = new ArrayList<>();
        for (MqttMessage m : broker.retained(filter.isEmpty() ? "#" : filter, Integer.MAX_VALUE)) {
            if (user.mayBrowse(m.topic())) {
                byte[] payload = m.payload();
                found.add(new Retained(m.topic(), m.qos().value(), payload.length, Payloads.asText(payload),
                        user.mayWrite(m.topic())));
            }
        }
        found.sort(Comparator.comparing(Retained::topic));
        return page(found);
    }

    private CompletionStage<FullHttpResponse> disconnect(String clientId, ConsoleUser user) {
        if (!broker.disconnect(clientId)) {
            return done(HttpResponseStatus.NOT_FOUND, new Failure("client '" + clientId + "' is not connected"));
        }
        LOG.info("web console user '{}' disconnected client '{}'", user.name(), clientId);
        return ok(new Done("client '" + clientId + "' disconnected"));
    }

    private CompletionStage<FullHttpResponse> deleteRetained(String topic, ConsoleUser user) {
        if (!user.mayWrite(topic)) {
            return denied();
        }
        if (!broker.deleteRetained(topic)) {
            return done(HttpResponseStatus.NOT_FOUND, new Failure("no retained message on '" + topic + "'"));
        }
        LOG.info("web console user '{}' deleted the retained message of '{}'", user.name(), topic);
        return ok(new Done("retained message of '" + topic + "' deleted"));
    }

    private CompletionStage<FullHttpResponse> publish(Map<String, List<String>> params, ConsoleUser user) {
        String topic = param(params, "topic");
        QoS qos = QoS.of(Integer.parseInt(param(params, "qos").isEmpty() ? "0" : param(params, "qos")));
        boolean retain = Boolean.parseBoolean(param(params, "retain"));
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic is empty");
        }
        if (!user.access().mayPublish(topic)) {
            return denied();
        }
        MqttMessage message = MqttMessage.builder(topic).payload(param(params, "payload")).qos(qos).retain(retain)
                .build();
        CompletionStage<Void> published;
        try {
            published = publisher.publish(message);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            published = CompletableFuture.failedFuture(e);
        }
        return published.handle((ok, failure) -> {
            if (failure == null) {
                return json(HttpResponseStatus.OK, new Done("published to '" + topic + "'"));
            }
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            String why = cause instanceof MqttPublishException refused
                    ? String.format("refused (reason 0x%02X): %s", refused.reasonCode(), refused.getMessage())
                    : cause.getMessage();
            return json(HttpResponseStatus.BAD_REQUEST, new Failure(why));
        });
    }

    private static boolean contains(String value, String search) {
        return search.isEmpty() || (value != null && value.toLowerCase().contains(search.toLowerCase()));
    }

    private static <T> Page<T> page(List<T> rows) {
        return new Page<>(rows.size() > MAX_ROWS ? List.copyOf(rows.subList(0, MAX_ROWS)) : rows, rows.size());
    }

    private static String param(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private CompletionStage<FullHttpResponse> ok(Object body) {
        return done(HttpResponseStatus.OK, body);
    }

    private CompletionStage<FullHttpResponse> denied() {
        return done(HttpResponseStatus.FORBIDDEN, new Failure("the acl_file does not allow this user that"));
    }

    private CompletionStage<FullHttpResponse> done(HttpResponseStatus status, Object body) {
        return CompletableFuture.completedFuture(json(status, body));
    }

    private FullHttpResponse json(HttpResponseStatus status, Object body) {
        return HttpResponses.json(status, json.toJson(body));
    }
}
