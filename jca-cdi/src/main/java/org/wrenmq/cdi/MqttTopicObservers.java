package org.wrenmq.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import java.lang.annotation.Annotation;
import org.wrenmq.api.MqttMessage;

/**
 * Gives each {@code @Observes @MqttTopic("filter") MqttMessage} observer only the messages whose topic its filter
 * matches: the observer is wrapped at deployment, so a filter that is not valid MQTT fails the deployment.
 */
public class MqttTopicObservers implements Extension {

    <X> void filterByTopic(@Observes ProcessObserverMethod<MqttMessage, X> event) {
        ObserverMethod<MqttMessage> observer = event.getObserverMethod();
        for (Annotation qualifier : observer.getObservedQualifiers()) {
            if (qualifier instanceof MqttTopic) {
                TopicFilter filter = TopicFilter.parse(((MqttTopic) qualifier).value());
                event.configureObserverMethod().notifyWith(context -> {
                    if (filter.matches(context.getEvent().topic())) {
                        observer.notify(context);
                    }
                });
                return;
            }
        }
    }
}
