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
 * Chooses the connection factory behind an injected {@link org.wrenmq.api.MqttPublisher} by its JNDI name:
 * {@code @Inject @MqttFactory("mqtt/orders") MqttPublisher orders;}. A name without a {@code java:} prefix is a
 * resource reference of the application ({@code java:comp/env/mqtt/orders}, mapped in {@code web.xml}), so code
 * keeps one name on every server; a {@code java:} name is looked up as it is.
 *
 * <p>The name is not binding: one producer serves every name, reading it from the injection point.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE})
public @interface MqttFactory {

    /** The resource reference the unqualified {@code @Inject MqttPublisher} uses. */
    String DEFAULT = "mqtt/factory";

    @Nonbinding
    String value() default DEFAULT;

    /** For {@code Instance<MqttPublisher>.select(MqttFactory.Literal.of("mqtt/orders"))}. */
    final class Literal extends AnnotationLiteral<MqttFactory> implements MqttFactory {

        private static final long serialVersionUID = 1L;

        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        public static Literal of(String name) {
            return new Literal(name);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
