package org.wrenmq.it.appserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.it.appserver.beans.cdi.CdiShop;
import org.wrenmq.it.appserver.beans.cdi.Reading;

/**
 * The adapter contract, plus {@code @Inject MqttPublisher} in a plain CDI bean of an application that bundles
 * the jca-cdi jar ({@link Deployments#applicationWithCdi}). What the beans publish on {@code it/basic/#} is
 * recorded by the contract's BasicListener.
 */
abstract class CdiContract extends AdapterContract {

    @Inject
    CdiShop shop;

    @Test
    @OperateOnDeployment(APP)
    void injectedPublisherInACdiBeanPublishesWhenItsTransactionCommits() {
        shop.publish("it/basic/cdi/commit", "from a CDI bean");

        await().atMost(DELIVERY).until(() -> payloadsOn("it/basic/cdi/commit"), p -> p.contains("from a CDI bean"));
    }

    @Test
    @OperateOnDeployment(APP)
    void injectedPublisherPublishesNothingWhenTheTransactionRollsBack() {
        assertThatThrownBy(() -> shop.publishThenFail("it/basic/cdi/rollback", "rolled back"))
                .hasStackTraceContaining("fails after publishing, on purpose");
        shop.publish("it/basic/cdi/rollback", "committed");

        await().atMost(DELIVERY).until(() -> payloadsOn("it/basic/cdi/rollback"), p -> p.contains("committed"));
        assertThat(payloadsOn("it/basic/cdi/rollback")).containsExactly("committed");
    }

    @Test
    @OperateOnDeployment(APP)
    void qualifierChoosesTheFactoryByItsResourceReference() throws Exception {
        shop.publishOnSecond("it/basic/cdi/second", "through mqtt/second");

        await().atMost(DELIVERY).until(() -> payloadsOn("it/basic/cdi/second"),
                p -> p.contains("through mqtt/second"));
        assertThatThrownBy(() -> shop.named("mqtt/missing"))
                .hasStackTraceContaining("no MqttConnectionFactory at java:comp/env/mqtt/missing");
    }

    @Test
    @OperateOnDeployment(APP)
    void publishJsonFollowsTheApplicationsJsonb() {
        shop.publishJson("it/basic/cdi/json", new Reading("hall", 21.5));

        await().atMost(DELIVERY).until(() -> received.onTopicsStartingWith("it/basic/cdi/json"), m -> !m.isEmpty());
        MqttMessage message = received.onTopicsStartingWith("it/basic/cdi/json").get(0);
        assertThat(message.payloadAsString()).contains("\"sensor_name\":\"hall\"");
        assertThat(message.contentType()).contains("application/json");
    }

    @Test
    @OperateOnDeployment(APP)
    void observerMethodReceivesTheMessagesOfItsTopicFilterOnly() {
        shop.publishAll("it/cdi-events/rooms/hall/temperature", "it/cdi-events/rooms/hall/humidity",
                "it/cdi-events/rooms/cellar/temperature");

        await().atMost(DELIVERY).until(() -> payloadsOn("it/cdi-events/rooms/cellar"), p -> !p.isEmpty());
        assertThat(received.onTopicsStartingWith("it/cdi-events/rooms/")).extracting(MqttMessage::topic)
                .as("humidity does not match rooms/+/temperature; CdiEvents delivers one at a time, in order")
                .containsExactly("it/cdi-events/rooms/hall/temperature", "it/cdi-events/rooms/cellar/temperature");
    }

    @Test
    @OperateOnDeployment(APP)
    void observerThatThrowsGetsTheMessageAgain() {
        shop.publish("it/cdi-events/flaky", "observed twice");

        await().atMost(DELIVERY).until(() -> payloadsOn("it/cdi-events/flaky"), p -> p.contains("observed twice"));
        assertThat(received.attempts("observed twice")).isEqualTo(2);
    }
}
