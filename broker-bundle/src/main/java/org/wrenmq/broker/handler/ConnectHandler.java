package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.auth.Authenticator;
import org.wrenmq.broker.auth.CertificateIdentity;
import org.wrenmq.broker.message.Publication;
import org.wrenmq.broker.routing.Topics;
import org.wrenmq.broker.session.Session;
import org.wrenmq.broker.session.SessionRegistry;

/**
 * CONNECT: checks the client's identity, credentials and limits, opens or resumes its session, answers CONNACK,
 * then attaches the connection to the session (which resends what was in flight).
 *
 * <p>Refusals answer CONNACK with a return code (MQTT 3.1/3.1.1) or reason code (MQTT 5) and close.
 */
final class ConnectHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);

    private ConnectHandler() {
    }

    static void handle(MqttConnectionHandler c, MqttConnectMessage msg) {
        c.broker.metrics().connectPackets.increment();
        if (c.connected) {
            c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR, "second CONNECT [MQTT-3.1.0-2]");
            return;
        }
        MqttConnectVariableHeader header = msg.variableHeader();
        MqttConnectPayload payload = msg.payload();
        c.version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        boolean v5 = c.version == MqttVersion.MQTT_5;
        BrokerConfig config = c.broker.config();
        MqttProperties props = header.properties();

        if (header.hasPassword() && !header.hasUserName() && !v5) {
            c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR,
                    "password flag set without user name flag [MQTT-3.1.2-22]");
            return;
        }
        String clientId = payload.clientIdentifier();
        boolean assignedId = false;
        if (clientId.isEmpty()) {
            if (!header.isCleanSession() && !v5) {
                refuse(c, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        "empty client id with clean session 0 [MQTT-3.1.3-8]");
                return;
            }
            clientId = "wrenmq-" + UUID.randomUUID();
            assignedId = true;
        }
        c.clientId = clientId;

        // A user name from the client's certificate stands for a password, as in mosquitto, and is the name the
        // acl_file's user blocks and %u see.
        String certificateName = CertificateIdentity.userName(c.channel);
        String userName = header.hasUserName() ? payload.userName() : null;
        Authenticator.Login login = certificateName != null ? Authenticator.Login.WITHOUT_ROLES
                : c.authenticator.login(userName, header.hasPassword() ? payload.passwordInBytes() : null);
        if (login.result() != Authenticator.Result.ACCEPTED) {
            // mosquitto 2 answers every credential refusal "not authorized" (5 / 0x87), not "bad user name or
            // password": clients and scripts that check the code see the same on both brokers.
            c.broker.loginRefusals().refused(c.channel.remoteAddress(), clientId, userName, login.result());
            answerRefusal(c, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "not authorized");
            return;
        }
        c.access = c.authorizer.access(clientId, certificateName != null ? certificateName : userName,
                login.roles());
        if (v5 && Props.string(props, MqttPropertyType.AUTHENTICATION_METHOD) != null) {
            refuse(c, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "enhanced authentication is not configured");
            return;
        }

        int keepAlive = header.keepAliveTimeSeconds();
        Integer serverKeepAlive = null;
        if (keepAlive > config.maxKeepalive() || (keepAlive == 0 && v5 && config.maxKeepalive() < 65_535)) {
            if (!v5) {
                refuse(c, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        "keepalive " + keepAlive + " s is more than max_keepalive " + config.maxKeepalive());
                return;
            }
            keepAlive = config.maxKeepalive();
            serverKeepAlive = keepAlive;
        }

        long expiry;
        if (v5) {
            expiry = Props.unsigned(props, MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0);
            int receiveMaximum = Props.integer(props, MqttPropertyType.RECEIVE_MAXIMUM, 65_535);
            long maxPacket = Props.unsigned(props, MqttPropertyType.MAXIMUM_PACKET_SIZE, Long.MAX_VALUE);
            if (receiveMaximum == 0 || maxPacket == 0) {
                c.protocolError(MqttReasonCodes.Disconnect.PROTOCOL_ERROR,
                        "receive maximum or maximum packet size of 0 [MQTT-3.1.2-27]");
                return;
            }
            c.clientReceiveMaximum = receiveMaximum;
            c.clientMaximumPacketSize = maxPacket;
            c.clientTopicAliasMaximum = Props.integer(props, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 0);
            c.requestProblemInformation = Props.integer(props, MqttPropertyType.REQUEST_PROBLEM_INFORMATION, 1) == 1;
        } else {
            expiry = header.isCleanSession() ? 0 : SessionRegistry.NEVER_EXPIRES;
        }

        if (header.isWillFlag() && !acceptWill(c, header, payload, v5)) {
            return;
        }

        // a session resumed on this cluster node is fetched first from the node that has it
        if (!c.broker.sessions().readyToOpen(clientId, header.isCleanSession(), c.channel.eventLoop(),
                () -> {
                    if (c.channel.isActive()) {
                        handle(c, msg);
                    }
                })) {
            return;
        }
        if (keepAlive > 0) {
            c.watchKeepAlive(keepAlive);
        }

        SessionRegistry.Opened opened = c.broker.sessions().open(clientId, header.isCleanSession(),
                id -> new Session(id, c.channel.eventLoop(), c.broker.sessionServices()));
        if (opened.replaced() != null) {
            Session old = opened.replaced();
            old.execute(old::replaced);
        }
        Session session = opened.session();
        c.broker.sessions().connected(clientId);
        c.session = session;
        session.setAccess(c.access);
        c.connected = true;
        MqttProperties ack = v5 ? connAckProperties(c, assignedId ? clientId : null, serverKeepAlive)
                : MqttProperties.NO_PROPERTIES;
        boolean persistent = expiry > 0;
        long sessionExpiry = expiry;
        Publication will = c.will;
        long willDelay = c.willDelaySeconds;
        LOG.debug("client '{}' ({}) connected, MQTT {}, clean {}, keepalive {} s", clientId, c.remote(),
                c.version, header.isCleanSession(), keepAlive);
        session.execute(() -> {
            session.moveTo(c.channel.eventLoop()); // the session lives on its connection's loop
            session.execute(() -> {
                c.send(Packets.connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED,
                        opened.present(), ack));
                session.attach(c, persistent, sessionExpiry, will, willDelay);
            });
        });
    }

    private static boolean acceptWill(MqttConnectionHandler c, MqttConnectVariableHeader header,
                                      MqttConnectPayload payload, boolean v5) {
        String topic = payload.willTopic();
        String error = Topics.topicNameError(topic);
        if (error != null) {
            c.protocolError(MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID, "will " + error);
            return false;
        }
        if (SysTopicGuard.isSysTopic(topic) && !SysTopicGuard.bridgeState(c, topic)) {
            c.broker.metrics().messagesRefusedSysTopic.increment();
            refuse(c, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "will topic '" + topic
                    + "': $SYS topics are read-only for clients");
            return false;
        }
        if (header.willQos() > c.broker.config().maxQos()) {
            refuse(c, MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED,
                    "will QoS " + header.willQos() + " above max_qos");
            return false;
        }
        if (header.isWillRetain() && !c.broker.config().retainAvailable()) {
            refuse(c, MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED, "retained will not available");
            return false;
        }
        MqttProperties wp = v5 ? payload.willProperties() : MqttProperties.NO_PROPERTIES;
        Publication will = IncomingPublication.from(c, topic, payload.willMessageInBytes(),
                QoS.of(header.willQos()), header.isWillRetain(), wp);
        if (will == null) {
            refuse(c, MqttConnectReturnCode.CONNECTION_REFUSED_PAYLOAD_FORMAT_INVALID,
                    "will payload is not UTF-8 as its payload format indicator says [MQTT-3.1.3-11]");
            return false;
        }
        c.will = will;
        c.willDelaySeconds = Props.unsigned(wp, MqttPropertyType.WILL_DELAY_INTERVAL, 0);
        return true;
    }

    private static MqttProperties connAckProperties(MqttConnectionHandler c, String assignedClientId,
                                                    Integer serverKeepAlive) {
        BrokerConfig config = c.broker.config();
        MqttProperties p = new MqttProperties();
        Props.addString(p, MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER, assignedClientId);
        if (serverKeepAlive != null) {
            Props.addInt(p, MqttPropertyType.SERVER_KEEP_ALIVE, serverKeepAlive);
        }
        Props.addInt(p, MqttPropertyType.RECEIVE_MAXIMUM, config.maxInflightMessages());
        Props.addInt(p, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, config.maxTopicAlias());
        Props.addInt(p, MqttPropertyType.MAXIMUM_PACKET_SIZE, config.maxIncomingPacketSize());
        if (config.maxQos() < 2) {
            Props.addInt(p, MqttPropertyType.MAXIMUM_QOS, config.maxQos());
        }
        Props.addInt(p, MqttPropertyType.RETAIN_AVAILABLE, config.retainAvailable() ? 1 : 0);
        Props.addInt(p, MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE, 1);
        Props.addInt(p, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1);
        Props.addInt(p, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, 1);
        return p;
    }

    /**
     * Answers CONNACK with a refusal and closes [MQTT-3.2.2-5]. MQTT 3.1/3.1.1 have no code for some refusals
     * (QoS or retain not supported, payload format): such a client's connection is closed without CONNACK.
     */
    static void refuse(MqttConnectionHandler c, MqttConnectReturnCode code, String why) {
        LOG.warn("client '{}' ({}) refused: {} (CONNACK 0x{})", c.clientId == null ? "" : c.clientId, c.remote(),
                why, Integer.toHexString(code.byteValue() & 0xFF));
        answerRefusal(c, code, why);
    }

    /** {@link #refuse} for a caller that logged the refusal itself. */
    private static void answerRefusal(MqttConnectionHandler c, MqttConnectReturnCode code, String why) {
        if (c.version != MqttVersion.MQTT_5 && (code.byteValue() & 0x80) != 0) {
            c.closeAfter(null);
            return;
        }
        MqttProperties props = c.version == MqttVersion.MQTT_5 ? Packets.reasonString(why)
                : MqttProperties.NO_PROPERTIES;
        c.closeAfter(Packets.connAck(code, false, props));
    }
}
