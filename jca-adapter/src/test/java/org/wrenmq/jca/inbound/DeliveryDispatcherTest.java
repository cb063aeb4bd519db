package org.wrenmq.jca.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttMessageListener;
import org.wrenmq.api.UserProperty;
import org.wrenmq.jca.broker.InboundSink;

/** The dispatcher outside a server: a thread pool for the WorkManager, a plain listener for the bean. */
class DeliveryDispatcherTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final Timer timer = new Timer(true);
    private final List<MqttMessage> deadLetters = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    @AfterEach
    void stop() {
        threads.shutdownNow();
        timer.cancel();
    }

    private DeliveryDispatcher dispatcher(int maxConcurrency, int maxRedeliveries, Consumer<MqttMessage> bean) {
        WrenActivationSpec spec = new WrenActivationSpec();
        spec.setTopicFilter("t/#");
        spec.setMaxConcurrency(maxConcurrency);
        spec.setMaxRedeliveries(maxRedeliveries);
        return new DeliveryDispatcher(endpointFactory(bean), workManager(), timer, spec, letter -> {
            deadLetters.add(letter);
            return CompletableFuture.completedFuture(null);
        });
    }

    private void deliver(DeliveryDispatcher dispatcher, String topic, String payload) {
        dispatcher.deliver(MqttMessage.builder(topic).payload(payload).qos(1).build(),
                new InboundSink.Acknowledger() {
                    @Override
                    public void accept() {
                        accepted.incrementAndGet();
                    }

                    @Override
                    public void reject() {
                        rejected.incrementAndGet();
                    }
                });
    }

    @Test
    void everyMessageIsAcceptedAndNoMoreThanMaxConcurrencyRunAtOnce() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        DeliveryDispatcher dispatcher = dispatcher(3, 0, message -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        });

        for (int i = 0; i < 300; i++) {
            deliver(dispatcher, "t/load", "m" + i);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> accepted.get() == 300);
        assertThat(mostRunning.get()).isBetween(1, 3);
        assertThat(rejected.get()).isZero();
    }

    @Test
    void aMessageTheBeanFailsOnOnceIsDeliveredAgainAndAccepted() {
        AtomicInteger deliveries = new AtomicInteger();
        DeliveryDispatcher dispatcher = dispatcher(1, 3, message -> {
            if (deliveries.incrementAndGet() == 1) {
                throw new IllegalStateException("once");
            }
        });

        deliver(dispatcher, "t/flaky", "x");

        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.get() == 1);
        assertThat(deliveries.get()).isEqualTo(2);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aMessageTheBeanAlwaysFailsOnBecomesADeadLetterAfterMaxRedeliveries() {
        AtomicInteger deliveries = new AtomicInteger();
        DeliveryDispatcher dispatcher = dispatcher(1, 2, message -> {
            deliveries.incrementAndGet();
            throw new IllegalStateException("never");
        });

        deliver(dispatcher, "t/doomed", "x");

        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.get() == 1);
        assertThat(deliveries.get()).isEqualTo(3);
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo("wrenmq/dead-letter/t/doomed");
            assertThat(letter.userProperties()).contains(new UserProperty(DeadLetters.DELIVERIES, "3"),
                    new UserProperty(DeadLetters.ERROR, "java.lang.IllegalStateException: never"));
        });
    }

    @Test
    void afterStopMessagesGoBackToTheBroker() {
        DeliveryDispatcher dispatcher = dispatcher(1, 0, message -> { });
        dispatcher.stop();

        deliver(dispatcher, "t/late", "x");

        assertThat(rejected.get()).isEqualTo(1);
        assertThat(accepted.get()).isZero();
    }

    /** Endpoints are proxies that hand the message to {@code bean}; deliveries are not transacted. */
    private static MessageEndpointFactory endpointFactory(Consumer<MqttMessage> bean) {
        return new MessageEndpointFactory() {
            @Override
            public MessageEndpoint createEndpoint(XAResource xaResource) {
                return (MessageEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {MessageEndpoint.class, MqttMessageListener.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("onMessage")) {
                                bean.accept((MqttMessage) args[0]);
                            }
                            return null;
                        });
            }

            @Override
            public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) {
                return createEndpoint(xaResource);
            }

            @Override
            public boolean isDeliveryTransacted(Method method) {
                return false;
            }

            @Override
            public String getActivationName() {
                return "test";
            }

            @Override
            public Class<?> getEndpointClass() {
                return MqttMessageListener.class;
            }
        };
    }

    private WorkManager workManager() {
        return new WorkManager() {
            @Override
            public void doWork(Work work) {
                work.run();
            }

            @Override
            public void doWork(Work work, long timeout, ExecutionContext context, WorkListener listener) {
                work.run();
            }

            @Override
            public long startWork(Work work) {
                threads.execute(work);
                return 0;
            }

            @Override
            public long startWork(Work work, long timeout, ExecutionContext context, WorkListener listener) {
                threads.execute(work);
                return 0;
            }

            @Override
            public void scheduleWork(Work work) {
                threads.execute(work);
            }

            @Override
            public void scheduleWork(Work work, long timeout, ExecutionContext context, WorkListener listener) {
                threads.execute(work);
            }
        };
    }
}
