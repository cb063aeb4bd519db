package org.wrenmq.jca.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.resource.spi.InvalidPropertyException;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.QoS;
import org.wrenmq.jca.broker.SubscriptionRequest;

class WrenActivationSpecTest {

    private final WrenActivationSpec spec = new WrenActivationSpec();

    @Test
    void severalFiltersInASharedGroupAreEachPrefixed() throws Exception {
        spec.setTopicFilter("a/+, b/#");
        spec.setShareGroup("workers");
        spec.setQos(2);
        spec.validate();

        SubscriptionRequest request = spec.subscriptionRequest();

        assertThat(request.topicFilters()).containsExactly("$share/workers/a/+", "$share/workers/b/#");
        assertThat(request.qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(request.receiveMaximum()).isEqualTo(WrenActivationSpec.DEFAULT_MAX_CONCURRENCY);
        assertThat(request.cleanStart()).isTrue();
    }

    @Test
    void everyActivationWithoutAClientIdGetsADifferentOne() {
        spec.setTopicFilter("a");

        assertThat(spec.subscriptionRequest().clientId()).isNotEqualTo(spec.subscriptionRequest().clientId());
    }

    @Test
    void aTopicFilterIsRequired() {
        assertThatThrownBy(spec::validate).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining("topicFilter");
    }

    @Test
    void aPersistentSessionNeedsAFixedClientId() {
        spec.setTopicFilter("a");
        spec.setCleanSession(false);

        assertThatThrownBy(spec::validate).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining("clientId");
    }

    @Test
    void concurrencyMustBePositive() {
        spec.setTopicFilter("a");
        spec.setMaxConcurrency(0);

        assertThatThrownBy(spec::validate).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining("maxConcurrency");
    }
}
