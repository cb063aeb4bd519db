package org.wrenmq.cdi;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The MQTT topic filter an observer method wants:
 * {@code void on(@Observes @MqttTopic("sensors/+/temperature") MqttMessage message)}. The messages come from a
 * message-driven bean that extends {@link MqttEvents}; the observer is called only for topics its filter
 * matches ({@link MqttTopicObservers} checks it, so the value is not binding).
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE})
public @interface MqttTopic {

    @Nonbinding
    String value();

    /** The qualifier {@link MqttEvents} fires with; its value plays no part in matching. */
    final class Literal extends AnnotationLiteral<MqttTopic> implements MqttTopic {

        private static final long serialVersionUID = 1L;

        static final Literal INSTANCE = new Literal("#");

        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }
}
