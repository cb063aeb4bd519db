package org.wrenmq.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.testing.PacketType;
import org.wrenmq.broker.testing.SecurityFiles;

/** MQTT 5's answer to what the acl_file denies: reason code 0x87 (Not authorized) on SUBACK, PUBACK and PUBREC. */
class NotAuthorizedTests {
    private static final int NOT_AUTHORIZED = 0x87;

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    @TempDir
    Path dir;

    private void acl(String... lines) {
        broker.set("acl_file", SecurityFiles.acl(dir.resolve("acl"), lines).toString());
    }

    /** Sections 3.9.3, 4.13: a filter nothing under which may be read gets 0x87; the others their QoS. */
    @Test
    void subackSaysNotAuthorizedPerFilter() {
        acl("topic read a/#", "topic deny a/secret/#");
        RawClient5 client = broker.rawConnected("sub");

        String[] filters = {"a/open", "a/secret/+", "$share/g/a/secret/x", "b/#"};
        client.send(Wire.subscribe(4, Properties.none(), filters, new int[] {1, 1, 1, 0}));

        Frame suback = client.expect(PacketType.SUBACK);
        assertThat(suback.reasonCodes()).containsExactly(1, NOT_AUTHORIZED, NOT_AUTHORIZED, NOT_AUTHORIZED);
        assertThat(broker.counter("acl.denied.subscribe")).isEqualTo(3);
    }

    /** Sections 3.4.2.1, 3.5.2.1: a denied QoS 1 PUBLISH gets PUBACK 0x87, QoS 2 PUBREC 0x87; neither is routed. */
    @Test
    void pubackAndPubrecSayNotAuthorized() {
        acl("topic read #", "topic write ok/#");
        RawClient5 watcher = broker.rawConnected("watch").subscribe("#", 1);
        RawClient5 client = broker.rawConnected("pub");

        client.send(Wire.publish("no/1", "q1", 1, 11));
        Frame puback = client.expect(PacketType.PUBACK);
        client.send(Wire.publish("no/2", "q2", 2, 12));
        Frame pubrec = client.expect(PacketType.PUBREC);
        client.send(Wire.publish("ok/1", "sentinel", 1, 13));

        assertThat(puback.packetId()).isEqualTo(11);
        assertThat(puback.reasonCode()).isEqualTo(NOT_AUTHORIZED);
        assertThat(pubrec.packetId()).isEqualTo(12);
        assertThat(pubrec.reasonCode()).isEqualTo(NOT_AUTHORIZED);
        assertThat(client.expect(PacketType.PUBACK).reasonCode()).isZero();
        assertThat(watcher.expect(PacketType.PUBLISH).payload()).isEqualTo("sentinel");
    }

    /** A partly readable wildcard is granted with the QoS asked for; Paho 5 then receives only what it may read. */
    @Test
    void pahoReceivesOnlyReadableTopics() throws Exception {
        acl("topic read s/public/#", "topic write s/#");
        Paho5 subscriber = broker.paho("sub").connect().subscribe("s/#", 1);
        Paho5 publisher = broker.paho("pub").connect();

        publisher.publish("s/private", "hidden", 1);
        publisher.publish("s/public/1", "visible", 1);

        assertThat(subscriber.next().topic()).isEqualTo("s/public/1");
        assertThat(broker.counter("acl.denied.delivery")).isEqualTo(1);
    }
}
