package org.wrenmq.jca.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttPublishException;

/** One pooled outbound connection to a remote server: a Paho client with a client id of its own. */
final class RemotePublishChannel implements PublishChannel {

    /**
     * Messages this client may have unacknowledged: Paho refuses more than the server's receive maximum
     * (mosquitto's default is 20), so a fast publisher waits here instead of failing.
     */
    static final int MAX_IN_FLIGHT = 10;
    /** How long a publisher waits for a free in-flight slot before the publish fails. */
    static final long IN_FLIGHT_WAIT_SECONDS = 30;

    private final MqttAsyncClient client;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    RemotePublishChannel(MqttAsyncClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<Void> publish(MqttMessage message) {
        try {
            if (!inFlight.tryAcquire(IN_FLIGHT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return CompletableFuture.failedFuture(new MqttPublishException(0x97,
                        "no in-flight slot free after " + IN_FLIGHT_WAIT_SECONDS + " s"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        return PahoMessages.publish(client, message).whenComplete((ok, failure) -> inFlight.release());
    }

    @Override
    public boolean isUsable() {
        return client.isConnected();
    }

    @Override
    public void close() {
        RemoteBrokerAccess.closeQuietly(client);
    }
}
