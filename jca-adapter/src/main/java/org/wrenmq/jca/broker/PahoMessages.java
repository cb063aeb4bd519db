package org.wrenmq.jca.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttPublishException;
import org.wrenmq.api.UserProperty;

/** Converts between WrenMQ messages and the Paho MQTT 5 client's, properties included, and publishes them. */
final class PahoMessages {

    private PahoMessages() {
    }

    static org.eclipse.paho.mqttv5.common.MqttMessage toPaho(MqttMessage message) {
        MqttProperties properties = new MqttProperties();
        message.contentType().ifPresent(properties::setContentType);
        message.responseTopic().ifPresent(properties::setResponseTopic);
        message.correlationData().ifPresent(properties::setCorrelationData);
        message.payloadUtf8().ifPresent(properties::setPayloadFormat);
        message.messageExpiryInterval().ifPresent(properties::setMessageExpiryInterval);
        if (!message.userProperties().isEmpty()) {
            List<org.eclipse.paho.mqttv5.common.packet.UserProperty> user = new ArrayList<>();
            for (UserProperty p : message.userProperties()) {
                user.add(new org.eclipse.paho.mqttv5.common.packet.UserProperty(p.name(), p.value()));
            }
            properties.setUserProperties(user);
        }
        return new org.eclipse.paho.mqttv5.common.MqttMessage(message.payload(), message.qos().value(),
                message.retain(), properties);
    }

    static MqttMessage fromPaho(String topic, org.eclipse.paho.mqttv5.common.MqttMessage paho) {
        MqttMessage.Builder b = MqttMessage.builder(topic).payload(paho.getPayload()).qos(paho.getQos())
                .retain(paho.isRetained());
        MqttProperties properties = paho.getProperties();
        if (properties != null) {
            b.contentType(properties.getContentType()).responseTopic(properties.getResponseTopic())
                    .correlationData(properties.getCorrelationData());
            if (properties.getPayloadFormat()) {
                b.payloadUtf8(true);
            }
            if (properties.getMessageExpiryInterval() != null) {
                b.messageExpiryInterval(properties.getMessageExpiryInterval());
            }
            for (org.eclipse.paho.mqttv5.common.packet.UserProperty p : properties.getUserProperties()) {
                b.userProperty(p.getKey(), p.getValue());
            }
        }
        return b.build();
    }

    /** Publishes through Paho; the future completes when the server acknowledged (QoS 1/2) or it was sent (QoS 0). */
    static CompletableFuture<Void> publish(MqttAsyncClient client, MqttMessage message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.publish(message.topic(), toPaho(message), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        done.completeExceptionally(new MqttPublishException(codes[0], "refused by the server"));
                    } else {
                        done.complete(null);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    done.completeExceptionally(failure);
                }
            });
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }
}
