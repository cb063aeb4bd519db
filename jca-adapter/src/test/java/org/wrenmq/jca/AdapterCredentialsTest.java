package org.wrenmq.jca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.security.PasswordCredential;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.api.MqttPublishException;
import org.wrenmq.api.QoS;
import org.wrenmq.api.jca.MqttConnection;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.auth.PasswordFileWriter;
import org.wrenmq.jca.broker.Credentials;
import org.wrenmq.jca.broker.InboundSubscription;
import org.wrenmq.jca.broker.SubscriptionRequest;
import org.wrenmq.jca.inbound.WrenActivationSpec;
import org.wrenmq.jca.outbound.WrenManagedConnectionFactory;

/**
 * User names and passwords of the adapter's connections and message endpoints: against the embedded broker's
 * {@code passwordFile} and {@code aclFile} (anonymous off), and against an external broker. A connection factory's
 * or activation's own credentials win over the adapter's; a container's {@link PasswordCredential} over both.
 */
@DisplayName("resource adapter credentials: passwordFile, aclFile, userName/password per factory and activation")
class AdapterCredentialsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final WrenResourceAdapter adapter = new WrenResourceAdapter();
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
    private Broker external;

    @BeforeEach
    void securityFiles() throws Exception {
        PasswordFileWriter writer = new PasswordFileWriter();
        writer.create(dir.resolve("passwd"), "app", "app-secret");
        writer.set(dir.resolve("passwd"), "reader", "reader-secret");
        Files.writeString(dir.resolve("acl"), "user app\ntopic write orders/#\ntopic read replies/#\n"
                + "user reader\ntopic read orders/#\ntopic write replies/#\n");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        adapter.stop();
        if (external != null) {
            external.close();
        }
    }

    @Test
    @DisplayName("embedded: a factory's user publishes where the acl_file lets it and gets 0x87 elsewhere")
    void factoryUserPublishesUnderItsAclRights() throws Exception {
        startEmbedded();
        List<String> received = receive(new Credentials("reader", "reader-secret"), "orders/#");

        try (MqttConnection connection = factory("app", "app-secret").getConnection()) {
            connection.publish("orders/1", "pizza", QoS.AT_LEAST_ONCE).toCompletableFuture().join();
            assertThatThrownBy(() -> connection.publish("billing/1", "free", QoS.AT_LEAST_ONCE).toCompletableFuture()
                    .join()).isInstanceOf(CompletionException.class).cause()
                    .isInstanceOfSatisfying(MqttPublishException.class, e -> assertThat(e.reasonCode()).isEqualTo(0x87));
        }

        await().atMost(PATIENCE).until(() -> received.contains("orders/1=pizza"));
    }

    @Test
    @DisplayName("embedded: a wrong password or unknown user gets no connection and no subscription")
    void wrongCredentialsAreRefused() throws Exception {
        startEmbedded();

        assertThatThrownBy(() -> factory("app", "guess").getConnection())
                .isInstanceOf(jakarta.resource.spi.SecurityException.class).hasMessageContaining("user 'app'")
                .hasMessageNotContaining("guess");
        assertThatThrownBy(() -> receive(new Credentials("mallory", "x"), "orders/#"))
                .isInstanceOf(jakarta.resource.spi.SecurityException.class);
    }

    @Test
    @DisplayName("embedded: an endpoint's user may subscribe only where it may read; the adapter's user is the default")
    void endpointSubscribesAsItsUser() throws Exception {
        adapter.setUserName("app");
        adapter.setPassword("app-secret");
        startEmbedded();

        assertThatThrownBy(() -> receive(new Credentials("reader", "reader-secret"), "replies/#"))
                .isInstanceOf(ResourceException.class).hasMessageContaining("replies/#");
        List<String> replies = receive(Credentials.NONE, "replies/#"); // as the adapter's user, app
        try (MqttConnection connection = factory("reader", "reader-secret").getConnection()) {
            connection.publish("replies/1", "ok", QoS.AT_LEAST_ONCE).toCompletableFuture().join();
        }

        await().atMost(PATIENCE).until(() -> replies.contains("replies/1=ok"));
    }

    @Test
    @DisplayName("the container's PasswordCredential for the factory wins over the factory's own properties")
    void containerCredentialWins() throws Exception {
        startEmbedded();
        WrenManagedConnectionFactory managed = managedFactory("app", "wrong");
        Subject subject = new Subject();
        PasswordCredential credential = new PasswordCredential("app", "app-secret".toCharArray());
        credential.setManagedConnectionFactory(managed);
        subject.getPrivateCredentials().add(credential);

        var connection = managed.createManagedConnection(subject, null);
        opened.add(connection::destroy);

        assertThat(connection.getMetaData().getUserName()).isEqualTo("app");
        assertThatThrownBy(() -> managed.createManagedConnection(null, null))
                .isInstanceOf(jakarta.resource.spi.SecurityException.class);
    }

    @Test
    @DisplayName("external broker: factory and endpoint log in with their own user, refused with a wrong password")
    void externalBrokerGetsTheCredentials() throws Exception {
        external = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "false")
                .set("password_file", dir.resolve("passwd").toString()).set("acl_file", dir.resolve("acl").toString())
                .set("persistence", "false").build().start();
        adapter.setServerUri("tcp://127.0.0.1:" + external.port());
        adapter.start(null);
        List<String> received = receive(new Credentials("reader", "reader-secret"), "orders/#");

        try (MqttConnection connection = factory("app", "app-secret").getConnection()) {
            connection.publish("orders/2", "soup", QoS.AT_LEAST_ONCE).toCompletableFuture().join();
        }
        await().atMost(PATIENCE).until(() -> received.contains("orders/2=soup"));
        assertThatThrownBy(() -> factory("app", "guess").getConnection()).isInstanceOf(ResourceException.class)
                .hasMessageContaining("cannot connect");
    }

    @Test
    @DisplayName("an activation spec's userName and password go into its subscription request")
    void activationSpecCarriesCredentials() {
        WrenActivationSpec spec = new WrenActivationSpec();
        spec.setTopicFilter("orders/#");
        spec.setUserName("reader");
        spec.setPassword("reader-secret");

        assertThat(spec.subscriptionRequest().credentials()).isEqualTo(new Credentials("reader", "reader-secret"));
        assertThat(spec.subscriptionRequest().credentials().toString()).doesNotContain("reader-secret");
    }

    private void startEmbedded() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            adapter.setPort(socket.getLocalPort());
        }
        adapter.setPersistence(false);
        adapter.setPasswordFile(dir.resolve("passwd").toString());
        adapter.setAclFile(dir.resolve("acl").toString());
        adapter.start(null);
    }

    private org.wrenmq.api.jca.MqttConnectionFactory factory(String user, String password) {
        return (org.wrenmq.api.jca.MqttConnectionFactory) managedFactory(user, password).createConnectionFactory();
    }

    private WrenManagedConnectionFactory managedFactory(String user, String password) {
        WrenManagedConnectionFactory managed = new WrenManagedConnectionFactory();
        managed.setResourceAdapter(adapter);
        managed.setUserName(user);
        managed.setPassword(password);
        return managed;
    }

    /** Subscribes as a message endpoint does; returns "topic=payload" of what arrives. */
    private List<String> receive(Credentials credentials, String filter) throws ResourceException {
        List<String> received = new CopyOnWriteArrayList<>();
        InboundSubscription s = adapter.brokerAccess().subscribe(new SubscriptionRequest(List.of(filter),
                QoS.AT_LEAST_ONCE, "endpoint-" + opened.size(), true, 0, 4, credentials), (m, ack) -> {
                    received.add(m.topic() + "=" + new String(m.payload(), StandardCharsets.UTF_8));
                    ack.accept();
                });
        opened.add(s::close);
        return received;
    }
}
