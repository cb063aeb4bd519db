package org.wrenmq.jca.broker;

import jakarta.resource.ResourceException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * An MQTT 5 server elsewhere (mosquitto, another WrenMQ...), reached with the Paho MQTT 5 client. Every
 * publish channel and every message endpoint is its own MQTT client with its own client id.
 */
public final class RemoteBrokerAccess implements BrokerAccess {

    /** Seconds to wait for CONNACK / SUBACK before giving up with a {@link ResourceException}. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** Keep alive of every client: a dead server is noticed within 1.5 times this. */
    static final int KEEP_ALIVE_SECONDS = 30;
    /** Automatic reconnect backs off from 1 s up to this many seconds. */
    static final int MAX_RECONNECT_DELAY_SECONDS = 10;

    private final String serverUri;
    /** The adapter's {@code userName}/{@code password}: for connections and endpoints without their own. */
    private final Credentials adapterCredentials;
    private final String clientIdPrefix;

    public RemoteBrokerAccess(String serverUri, Credentials adapterCredentials, String clientIdPrefix) {
        this.serverUri = serverUri;
        this.adapterCredentials = adapterCredentials;
        this.clientIdPrefix = clientIdPrefix;
    }

    @Override
    public PublishChannel openPublishChannel(Credentials credentials) throws ResourceException {
        MqttAsyncClient client = newClient(uniqueClientId("pub"));
        connect(client, options(true, 0L, null, credentials));
        return new RemotePublishChannel(client);
    }

    @Override
    public InboundSubscription subscribe(SubscriptionRequest request, InboundSink sink) throws ResourceException {
        MqttAsyncClient client = newClient(request.clientId());
        RemoteSubscription subscription = new RemoteSubscription(client, request, sink);
        connect(client, options(request.cleanStart(), request.sessionExpiry(), request.receiveMaximum(),
                request.credentials()));
        subscription.subscribeAll();
        return subscription;
    }

    /** A client id no other connection of this adapter uses: pooled connections must never kick each other. */
    public String uniqueClientId(String role) {
        return clientIdPrefix + "-" + role + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private MqttAsyncClient newClient(String clientId) throws ResourceException {
        try {
            return new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new ResourceException("invalid MQTT server URI or client id: " + serverUri + ", " + clientId, e);
        }
    }

    private MqttConnectionOptions options(boolean cleanStart, long sessionExpiry, Integer receiveMaximum,
                                          Credentials credentials) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(sessionExpiry);
        options.setReceiveMaximum(receiveMaximum);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, MAX_RECONNECT_DELAY_SECONDS);
        options.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        Credentials login = credentials.orElse(adapterCredentials);
        if (!login.isNone()) {
            options.setUserName(login.userName());
            options.setPassword(login.passwordBytes());
        }
        return options;
    }

    private void connect(MqttAsyncClient client, MqttConnectionOptions options) throws ResourceException {
        String failure;
        Exception cause = null;
        try {
            IMqttToken token = client.connect(options);
            token.waitForCompletion(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS + 1L));
            if (client.isConnected()) {
                return;
            }
            failure = "no CONNACK within " + CONNECT_TIMEOUT_SECONDS + " s";
        } catch (MqttException e) {
            failure = e.getMessage();
            cause = e;
        }
        closeQuietly(client);
        throw new ResourceException("cannot connect to MQTT server " + serverUri + " as " + client.getClientId()
                + ": " + failure, cause);
    }

    static void closeQuietly(MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS));
            }
        } catch (MqttException e) {
            // the server is gone already: nothing to say goodbye to
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // close(true) only throws when the client is in use by a connect; it is released anyway
        }
    }

    @Override
    public void close() {
        // nothing shared: every channel and subscription closes its own client
    }
}
