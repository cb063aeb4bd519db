package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.broker.testing.PacketType;

/**
 * Application message properties travel from publisher to subscriber unchanged and in order (user properties,
 * content type, payload format indicator, response topic, correlation data), and the broker accepts properties on
 * every packet a client may send.
 */
class PropertyPassThroughTests {
    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    /** [MQTT-3.3.2-4] [MQTT-3.3.2-15] [MQTT-3.3.2-16] [MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-20]. */
    @Test
    void applicationPropertiesArriveUnchanged() throws MqttException {
        Paho5 subscriber = broker.paho("props-sub").connect().subscribe("props/t", 1);
        Paho5 publisher = broker.paho("props-pub").connect();
        MqttMessage message = new MqttMessage("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        MqttProperties props = new MqttProperties();
        props.setContentType("application/json; charset=utf-8");
        props.setPayloadFormat(true);
        props.setResponseTopic("props/replies/ünïcode");
        props.setCorrelationData(new byte[] {0, (byte) 0xFF, 42, 0});
        props.setUserProperties(List.of(new UserProperty("z", "last?"), new UserProperty("a", "1"),
                new UserProperty("z", "again"), new UserProperty("", "empty name"), new UserProperty("k", "")));
        message.setProperties(props);

        publisher.publish("props/t", message);

        MqttProperties got = subscriber.next().properties();
        assertThat(got.getContentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(got.getPayloadFormat()).isTrue();
        assertThat(got.getResponseTopic()).isEqualTo("props/replies/ünïcode");
        assertThat(got.getCorrelationData()).containsExactly(0, (byte) 0xFF, 42, 0);
        assertThat(got.getUserProperties()).extracting(u -> u.getKey() + "=" + u.getValue())
                .containsExactly("z=last?", "a=1", "z=again", "=empty name", "k=");
    }

    /**
     * [MQTT-3.3.2-4] [MQTT-3.3.2-16] [MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-20]: retained messages and messages
     * queued for an offline session keep their properties too.
     */
    @Test
    void retainedAndQueuedMessagesKeepTheirProperties() {
        Properties props = Properties.none().add(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(Property.CONTENT_TYPE, "text/csv").add(Property.RESPONSE_TOPIC, "kept/replies")
                .add(Property.CORRELATION_DATA, new byte[] {5, 6}).user("x", "1").user("y", "2").user("x", "3");
        RawClient5 away = broker.raw().connectAccepted(Wire.connect("kept-away").sessionExpiry(60));
        away.subscribe("kept/queued", 1);
        away.send(Wire.disconnect());
        RawClient5 publisher = broker.rawConnected("kept-pub");
        publisher.send(Wire.publish("kept/retained", "r".getBytes(), 1, true, 1, props));
        publisher.expect(PacketType.PUBACK);
        publisher.send(Wire.publish("kept/queued", "q".getBytes(), 1, false, 2, props));
        publisher.expect(PacketType.PUBACK);

        RawClient5 late = broker.rawConnected("kept-late").subscribe("kept/retained", 1);
        RawClient5 back = broker.raw().connectAccepted(Wire.connect("kept-away").cleanStart(false).sessionExpiry(60));

        for (Frame f : new Frame[] {late.expect(PacketType.PUBLISH), back.expect(PacketType.PUBLISH)}) {
            Properties got = f.properties();
            assertThat(got.number(Property.PAYLOAD_FORMAT_INDICATOR)).as("%s", f).contains(1L);
            assertThat(got.string(Property.CONTENT_TYPE)).contains("text/csv");
            assertThat(got.string(Property.RESPONSE_TOPIC)).contains("kept/replies");
            assertThat(got.binary(Property.CORRELATION_DATA)).hasValueSatisfying(
                    d -> assertThat(d).containsExactly(5, 6));
            assertThat(got.userProperties()).containsExactly("x=1", "y=2", "x=3");
        }
    }

    /** [MQTT-3.3.2-4]: a message without the indicator arrives without it (no format is made up). */
    @Test
    void absentPropertiesStayAbsent() throws MqttException {
        Paho5 subscriber = broker.paho("bare-sub").connect().subscribe("bare/t", 1);
        broker.paho("bare-pub").connect().publish("bare/t", "plain", 1);

        MqttProperties got = subscriber.next().properties();
        assertThat(got.getPayloadFormat()).isFalse();
        assertThat(got.getContentType()).isNull();
        assertThat(got.getResponseTopic()).isNull();
        assertThat(got.getCorrelationData()).isNull();
        assertThat(got.getUserProperties()).isEmpty();
    }

    /** Section 4.10 request / response: the responder's answer reaches the requester with the correlation data. */
    @Test
    void requestResponseRoundTrip() throws MqttException {
        Paho5 responder = broker.paho("responder").connect().subscribe("service/requests", 1);
        Paho5 requester = broker.paho("requester").connect().subscribe("service/replies/requester", 1);
        MqttMessage request = new MqttMessage("ping".getBytes(StandardCharsets.UTF_8));
        request.setQos(1);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic("service/replies/requester");
        props.setCorrelationData("req-1".getBytes(StandardCharsets.UTF_8));
        request.setProperties(props);

        requester.publish("service/requests", request);
        Paho5.Received got = responder.next();
        MqttMessage reply = new MqttMessage(("pong to " + got.payload()).getBytes(StandardCharsets.UTF_8));
        reply.setQos(1);
        MqttProperties replyProps = new MqttProperties();
        replyProps.setCorrelationData(got.properties().getCorrelationData());
        reply.setProperties(replyProps);
        responder.publish(got.properties().getResponseTopic(), reply);

        Paho5.Received answer = requester.next();
        assertThat(answer.payload()).isEqualTo("pong to ping");
        assertThat(new String(answer.properties().getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo("req-1");
    }

    /** [MQTT-4.6.0-5]: messages with their properties arrive in the order they were published. */
    @Test
    void messagesAndTheirPropertiesKeepTheirOrder() throws MqttException {
        Paho5 subscriber = broker.paho("order-sub").connect().subscribe("order/t", 1);
        Paho5 publisher = broker.paho("order-pub").connect();

        for (int i = 0; i < 50; i++) {
            MqttMessage m = new MqttMessage(String.valueOf(i).getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            MqttProperties props = new MqttProperties();
            props.setCorrelationData(new byte[] {(byte) i});
            props.setUserProperties(List.of(new UserProperty("seq", String.valueOf(i))));
            m.setProperties(props);
            publisher.publish("order/t", m);
        }

        List<Paho5.Received> got = subscriber.next(50);
        assertThat(got).extracting(Paho5.Received::payload)
                .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(String::valueOf).toList());
        assertThat(got).extracting(r -> (int) r.properties().getCorrelationData()[0])
                .containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        assertThat(got).extracting(r -> r.properties().getUserProperties().get(0).getValue())
                .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(String::valueOf).toList());
    }

    /**
     * Section 2.2.2: every packet a client sends may carry properties (here a reason string or user properties);
     * the broker accepts each and every answer it sends has a well-formed property section.
     */
    @Test
    void propertiesAreAcceptedOnEveryClientPacket() {
        Properties user = Properties.none().user("trace", "t-1");
        RawClient5 subscriber = broker.raw().connectAccepted(Wire.connect("every-packet")
                .property(Property.SESSION_EXPIRY_INTERVAL, 0).property(Property.RECEIVE_MAXIMUM, 10));
        subscriber.send(Wire.subscribe(1, "every/t", 2, user));
        assertThat(subscriber.expect(PacketType.SUBACK).reasonCodes()).containsExactly(2);
        RawClient5 publisher = broker.rawConnected("every-pub");

        publisher.send(Wire.publish("every/t", "q2".getBytes(), 2, false, 1, user));
        assertThat(publisher.expect(PacketType.PUBREC).reasonCode()).isZero();
        publisher.send(Wire.ack(PacketType.PUBREL, 1, 0, user));
        assertThat(publisher.expect(PacketType.PUBCOMP).reasonCode()).isZero();

        Frame delivered = subscriber.expect(PacketType.PUBLISH);
        assertThat(delivered.properties().userProperties()).containsExactly("trace=t-1");
        subscriber.send(Wire.ack(PacketType.PUBREC, delivered.packetId(), 0, user));
        subscriber.expect(PacketType.PUBREL);
        subscriber.send(Wire.ack(PacketType.PUBCOMP, delivered.packetId(), 0, user));
        subscriber.send(Wire.unsubscribe(2, user, "every/t"));
        assertThat(subscriber.expect(PacketType.UNSUBACK).reasonCodes()).containsExactly(0);
        subscriber.send(Wire.pingreq());
        subscriber.expect(PacketType.PINGRESP);

        publisher.send(Wire.publish("every/q1", "q1".getBytes(), 1, false, 2, user));
        publisher.expect(PacketType.PUBACK);
        publisher.send(Wire.disconnect(0, Properties.none().add(Property.REASON_STRING, "done").user("bye", "1")));
        assertThat(publisher.nextUnlessClosed(RawClient5.PATIENCE)).as("closed after DISCONNECT").isEmpty();
    }
}
