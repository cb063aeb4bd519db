package org.wrenmq.broker.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.testing.SecurityFiles;

/**
 * {@code jaas_realm}: MQTT users checked by a JAAS realm, their roles and groups selecting the acl_file's
 * {@code role} blocks. The realm here is a JAAS configuration with a login module that answers as Karaf's
 * PropertiesLoginModule does (a user principal, role principals, group principals); the real Karaf realm is
 * exercised by src-test/karaf.
 */
@DisplayName("jaas_realm: MQTT logins through a JAAS realm, roles selecting acl_file role blocks")
class JaasRealmTests {
    static final String REALM = "test-realm";

    @TempDir
    Path dir;

    private Configuration previous;
    private final List<MqttClient> clients = new CopyOnWriteArrayList<>();
    private Broker broker;

    @BeforeEach
    void installRealm() {
        previous = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return !name.equals(REALM) ? null : new AppConfigurationEntry[] {new AppConfigurationEntry(
                        UsersModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of())};
            }
        });
    }

    @AfterEach
    void restore() throws MqttException {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 1000);
            }
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
        Configuration.setConfiguration(previous);
    }

    @Test
    @DisplayName("the right password gives the user's roles and groups; a wrong one, an unknown user or realm: none")
    void loginGivesRolesAndGroups() {
        JaasUserDirectory realm = new JaasUserDirectory(REALM);

        assertThat(realm.login("alice", bytes("a"))).containsExactlyInAnyOrder("operators", "plantgroup");
        assertThat(realm.login("alice", bytes("wrong"))).isNull();
        assertThat(realm.login("alice", null)).isNull();
        assertThat(realm.login("mallory", bytes("a"))).isNull();
        assertThat(new JaasUserDirectory("no-such-realm").login("alice", bytes("a"))).isNull();
    }

    @Test
    @DisplayName("through the broker: a role's user reads what its block grants, a user without it is refused at "
            + "SUBSCRIBE [MQTT-3.9.3-1], a wrong password gets CONNACK 5 [MQTT-3.2.2-5]")
    void rolesSelectAclBlocks() throws Exception {
        Path acl = SecurityFiles.acl(dir.resolve("acl"), "role operators", "topic readwrite plant/#",
                "role plantgroup", "topic read hall/#", "user bob", "topic write plant/#", "topic write hall/#");
        broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "false")
                .set("acl_file", acl.toString()).set("persistence", "false")
                .users(new JaasUserDirectory(REALM)).build().start();
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient alice = connect("alice", "a");
        alice.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        MqttClient bob = connect("bob", "b");

        assertThat(alice.subscribeWithResponse("plant/#", 1).getGrantedQos()).containsExactly(1);
        assertThat(alice.subscribeWithResponse("hall/#", 1).getGrantedQos()).as("from her group").containsExactly(1);
        assertThat(bob.subscribeWithResponse("plant/#", 1).getGrantedQos()).as("bob holds no role")
                .containsExactly(0x80);
        bob.publish("plant/valve", bytes("open"), 1, false);
        bob.publish("hall/door", bytes("shut"), 1, false);
        await().until(() -> received.size() == 2);
        assertThat(received).containsExactlyInAnyOrder("plant/valve open", "hall/door shut");
        assertThatThrownBy(() -> connect("alice", "wrong")).isInstanceOfSatisfying(MqttException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
    }

    @Test
    @DisplayName("a password_file beside jaas_realm is refused: only one may check passwords")
    void passwordFileAndRealmTogetherAreRefused() {
        Path passwd = SecurityFiles.passwords(dir.resolve("passwd"), Map.of("alice", "a"));

        assertThatThrownBy(() -> Broker.builder().set("password_file", passwd.toString())
                .users(new JaasUserDirectory(REALM)).build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("password_file and JAAS realm 'test-realm' both check passwords");
    }

    private MqttClient connect(String user, String password) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + broker.port(), "jaas-" + user + clients.size(),
                new MemoryPersistence());
        clients.add(client);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(user);
        options.setPassword(password.toCharArray());
        options.setAutomaticReconnect(false);
        client.connect(options);
        return client;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Users as Karaf's users.properties would list them: alice = a, operators, _g_:plantgroup; bob = b. */
    public static final class UsersModule implements LoginModule {
        private static final Map<String, String> PASSWORDS = Map.of("alice", "a", "bob", "b");
        private static final Map<String, Set<Principal>> PRINCIPALS = Map.of(
                "alice", Set.of(new UserPrincipal("alice"), new RolePrincipal("operators"),
                        new GroupPrincipal("plantgroup")),
                "bob", Set.of(new UserPrincipal("bob")));
        private Subject subject;
        private CallbackHandler handler;
        private String user;

        @Override
        public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState,
                               Map<String, ?> options) {
            this.subject = subject;
            this.handler = handler;
        }

        @Override
        public boolean login() throws LoginException {
            NameCallback name = new NameCallback("user");
            PasswordCallback password = new PasswordCallback("password", false);
            try {
                handler.handle(new Callback[] {name, password});
            } catch (Exception e) {
                throw new LoginException(e.toString());
            }
            if (!new String(password.getPassword()).equals(PASSWORDS.get(name.getName()))) {
                throw new FailedLoginException("wrong password");
            }
            user = name.getName();
            return true;
        }

        @Override
        public boolean commit() {
            subject.getPrincipals().addAll(PRINCIPALS.get(user));
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            subject.getPrincipals().clear();
            return true;
        }
    }

    record UserPrincipal(String getName) implements Principal {
    }

    record RolePrincipal(String getName) implements Principal {
    }

    record GroupPrincipal(String getName) implements Principal {
    }
}
