package org.wrenmq.jca.broker;

import jakarta.resource.ResourceException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.MqttMessage;

/**
 * A message endpoint's session on a remote server. Acknowledgements are manual: PUBACK / PUBCOMP leaves only
 * when the endpoint accepted the message. After a reconnect the filters are subscribed again, whether or not
 * the server kept the session.
 */
final class RemoteSubscription implements InboundSubscription, MqttCallback {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteSubscription.class);

    private final MqttAsyncClient client;
    private final SubscriptionRequest request;
    private final InboundSink sink;

    RemoteSubscription(MqttAsyncClient client, SubscriptionRequest request, InboundSink sink) {
        this.client = client;
        this.request = request;
        this.sink = sink;
        client.setManualAcks(true);
        client.setCallback(this);
    }

    void subscribeAll() throws ResourceException {
        try {
            IMqttToken token = client.subscribe(subscriptions());
            token.waitForCompletion(TimeUnit.SECONDS.toMillis(RemoteBrokerAccess.CONNECT_TIMEOUT_SECONDS));
            for (int code : token.getReasonCodes()) {
                if (code >= 0x80) {
                    throw new ResourceException("the server refused the subscription " + request.topicFilters()
                            + " with reason code 0x" + Integer.toHexString(code));
                }
            }
        } catch (MqttException e) {
            close();
            throw new ResourceException("cannot subscribe to " + request.topicFilters() + ": " + e.getMessage(), e);
        } catch (ResourceException e) {
            close();
            throw e;
        }
    }

    private MqttSubscription[] subscriptions() {
        return request.topicFilters().stream().map(f -> new MqttSubscription(f, request.qos().value()))
                .toArray(MqttSubscription[]::new);
    }

    @Override
    public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
        sink.deliver(PahoMessages.fromPaho(topic, message), new InboundSink.Acknowledger() {
            @Override
            public void accept() {
                if (message.getQos() > 0) {
                    try {
                        client.messageArrivedComplete(message.getId(), message.getQos());
                    } catch (MqttException e) {
                        // the connection dropped: the server delivers the message again on the next connection
                        LOG.warn("WRENMQ-JCA-101 cannot acknowledge message {} on {}: {}", message.getId(), topic,
                                e.toString());
                    }
                }
            }

            @Override
            public void reject() {
                // MQTT has no negative acknowledgement: left unacknowledged, the message comes again when the
                // session resumes on the next connection
            }
        });
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        if (!reconnect) {
            return;
        }
        LOG.info("WRENMQ-JCA-102 {} reconnected to {}, subscribing again to {}", request.clientId(), serverUri,
                request.topicFilters());
        try {
            client.subscribe(subscriptions(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // subscribed again
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    LOG.error("WRENMQ-JCA-103 {} cannot subscribe again to {}", request.clientId(),
                            request.topicFilters(), failure);
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            LOG.error("WRENMQ-JCA-103 {} cannot subscribe again to {}", request.clientId(), request.topicFilters(), e);
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        LOG.warn("WRENMQ-JCA-104 {} lost its connection: {}; reconnecting", request.clientId(), response);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warn("WRENMQ-JCA-105 {}: {}", request.clientId(), exception.toString());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // dead letters are tracked by the stage publish() returns
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }

    @Override
    public CompletionStage<Void> publish(MqttMessage message) {
        return PahoMessages.publish(client, message);
    }

    @Override
    public void close() {
        RemoteBrokerAccess.closeQuietly(client);
    }
}
