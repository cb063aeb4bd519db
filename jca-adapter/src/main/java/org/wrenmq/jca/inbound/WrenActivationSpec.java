package org.wrenmq.jca.inbound;

import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.wrenmq.api.MqttListenerProperties;
import org.wrenmq.api.QoS;
import org.wrenmq.jca.broker.Credentials;
import org.wrenmq.jca.broker.SubscriptionRequest;

/**
 * What a message-driven bean receives and how: the activation config properties of a bean that implements
 * {@link org.wrenmq.api.MqttMessageListener}. Names of the first three are those of {@link MqttListenerProperties}.
 */
public class WrenActivationSpec implements ActivationSpec {

    /** Default of {@code maxConcurrency}: below the smallest default MDB pool of the servers (WildFly: 4 x cores). */
    public static final int DEFAULT_MAX_CONCURRENCY = 4;
    /** Default of {@code maxRedeliveries}: deliveries after the first, before a message is dead-lettered. */
    public static final int DEFAULT_MAX_REDELIVERIES = 3;
    /** Default of {@code deadLetterTopic}: the prefix a dead-lettered message's original topic is appended to. */
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "wrenmq/dead-letter";
    /** Upper bound of {@code maxConcurrency}: MQTT's receive maximum cannot be higher. */
    public static final int MAX_CONCURRENCY_LIMIT = 65_535;

    private String topicFilter;
    private Integer qos = 1;
    private String shareGroup;
    private String clientId;
    private Boolean cleanSession = Boolean.TRUE;
    private Long sessionExpiry = 0L;
    private Integer maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private Integer maxRedeliveries = DEFAULT_MAX_REDELIVERIES;
    private String deadLetterTopic = DEFAULT_DEAD_LETTER_TOPIC;
    private String userName;
    private String password;

    private ResourceAdapter resourceAdapter;

    @Override
    public void validate() throws InvalidPropertyException {
        if (topicFilters().isEmpty()) {
            throw invalid("topicFilter", "needs at least one topic filter");
        }
        if (qos == null || qos < 0 || qos > 2) {
            throw invalid("qos", "must be 0, 1 or 2, not " + qos);
        }
        if (maxConcurrency == null || maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY_LIMIT) {
            throw invalid("maxConcurrency", "must be 1.." + MAX_CONCURRENCY_LIMIT + ", not " + maxConcurrency);
        }
        if (maxRedeliveries == null || maxRedeliveries < 0) {
            throw invalid("maxRedeliveries", "must be 0 or more, not " + maxRedeliveries);
        }
        if (deadLetterTopic == null || deadLetterTopic.isBlank() || deadLetterTopic.contains("+")
                || deadLetterTopic.contains("#")) {
            throw invalid("deadLetterTopic", "must be a topic name without wildcards, not " + deadLetterTopic);
        }
        if (sessionExpiry == null || sessionExpiry < 0 || sessionExpiry > 0xFFFF_FFFFL) {
            throw invalid("sessionExpiry", "must be 0..4294967295 s, not " + sessionExpiry);
        }
        boolean persistent = Boolean.FALSE.equals(cleanSession) || sessionExpiry > 0;
        if (persistent && (clientId == null || clientId.isBlank())) {
            throw invalid("clientId", "a persistent session (cleanSession=false or sessionExpiry > 0) needs a fixed"
                    + " clientId, or it could never be resumed");
        }
    }

    private static InvalidPropertyException invalid(String property, String why) {
        InvalidPropertyException e = new InvalidPropertyException(property + " " + why);
        try {
            e.setInvalidPropertyDescriptors(new java.beans.PropertyDescriptor[] {
                new java.beans.PropertyDescriptor(property, WrenActivationSpec.class)});
        } catch (java.beans.IntrospectionException ignored) {
            // the message names the property anyway
        }
        return e;
    }

    /** The filters from {@code topicFilter}: comma separated, blanks ignored. */
    public List<String> topicFilters() {
        if (topicFilter == null) {
            return List.of();
        }
        return Arrays.stream(topicFilter.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
    }

    /** The subscription this spec asks for; a generated client id when none is set, unique per activation. */
    public SubscriptionRequest subscriptionRequest() {
        List<String> filters = new ArrayList<>();
        for (String filter : topicFilters()) {
            filters.add(shareGroup == null || shareGroup.isBlank() ? filter : "$share/" + shareGroup + "/" + filter);
        }
        String id = clientId == null || clientId.isBlank()
                ? "wrenmq-mdb-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                : clientId;
        return new SubscriptionRequest(filters, QoS.of(qos), id, !Boolean.FALSE.equals(cleanSession),
                sessionExpiry, maxConcurrency, Credentials.of(userName, password));
    }

    public String getTopicFilter() { return topicFilter; }
    public void setTopicFilter(String topicFilter) { this.topicFilter = topicFilter; }
    public Integer getQos() { return qos; }
    public void setQos(Integer qos) { this.qos = qos; }
    public String getShareGroup() { return shareGroup; }
    public void setShareGroup(String shareGroup) { this.shareGroup = shareGroup; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public Boolean getCleanSession() { return cleanSession; }
    public void setCleanSession(Boolean cleanSession) { this.cleanSession = cleanSession; }
    public Long getSessionExpiry() { return sessionExpiry; }
    public void setSessionExpiry(Long sessionExpiry) { this.sessionExpiry = sessionExpiry; }
    public Integer getMaxConcurrency() { return maxConcurrency; }
    public void setMaxConcurrency(Integer maxConcurrency) { this.maxConcurrency = maxConcurrency; }
    public Integer getMaxRedeliveries() { return maxRedeliveries; }
    public void setMaxRedeliveries(Integer maxRedeliveries) { this.maxRedeliveries = maxRedeliveries; }
    public String getDeadLetterTopic() { return deadLetterTopic; }
    public void setDeadLetterTopic(String deadLetterTopic) { this.deadLetterTopic = deadLetterTopic; }
    /** The MQTT user this endpoint subscribes as; unset: the adapter's {@code userName} (or none). */
    public String getUserName() { return userName; }
    public void setUserName(String userName) { this.userName = userName; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }

    @Override
    public ResourceAdapter getResourceAdapter() { return resourceAdapter; }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) { this.resourceAdapter = resourceAdapter; }
}
