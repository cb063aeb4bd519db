package org.wrenmq.example.echo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.wrenmq.api.MqttListenerProperties;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;
import org.wrenmq.api.MqttPublisher;

/**
 * How another bundle uses WrenMQ: a whiteboard listener (a service with a {@code topicFilter} property) that answers
 * every message on {@code echo/in/NAME} with the same payload on {@code echo/out/NAME}, through the
 * {@link MqttPublisher} service. The Karaf test drops this bundle into {@code deploy/}.
 */
@Component(property = {
        MqttListenerProperties.TOPIC_FILTER + "=" + EchoListener.IN + "+",
        MqttListenerProperties.QOS + ":Integer=1"})
public class EchoListener implements MqttMessageListener {
    static final String IN = "echo/in/";
    static final String OUT = "echo/out/";

    private final MqttPublisher publisher;

    @Activate
    public EchoListener(@Reference MqttPublisher publisher) {
        this.publisher = publisher;
    }

    /** Returns once the echo is stored: an exception instead makes the broker deliver the message again. */
    @Override
    public void onMessage(MqttMessage message) {
        String echoTopic = OUT + message.topic().substring(IN.length());
        publisher.publish(message.toBuilder().topic(echoTopic).retain(false).build()).toCompletableFuture().join();
    }
}
