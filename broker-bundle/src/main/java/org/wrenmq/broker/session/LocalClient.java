package org.wrenmq.broker.session;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.api.QoS;
import org.wrenmq.broker.Limits;
import org.wrenmq.broker.LocalSession;
import org.wrenmq.broker.auth.ClientAccess;
import org.wrenmq.broker.routing.Delivery;
import org.wrenmq.broker.routing.SharedFilter;
import org.wrenmq.broker.routing.Subscription;
import org.wrenmq.broker.routing.Topics;

/**
 * An in-VM client: the {@link Outlet} of its session hands messages to a {@link LocalSession.Handler} instead of a
 * socket, and acknowledgements come back through {@link LocalSession.Acknowledgement}. Everything else (window,
 * queue, redelivery, persistence) is the same session code that serves network clients.
 */
public final class LocalClient implements LocalSession, Outlet {
    private static final Logger LOG = LoggerFactory.getLogger(LocalClient.class);
    /** How long a rejected message waits before it is delivered again, so a failing listener does not spin. */
    static final long REDELIVERY_DELAY_MILLIS = Limits.LOCAL_REDELIVERY_DELAY_MILLIS;

    private final SessionServices services;
    private final Session session;
    private final Handler handler;
    private final int receiveMaximum;

    private LocalClient(SessionServices services, Session session, Handler handler, int receiveMaximum) {
        this.services = services;
        this.session = session;
        this.handler = handler;
        this.receiveMaximum = receiveMaximum;
    }

    /**
     * @param executor the event loop a new session is placed on
     * @param access   the client's rights: {@link ClientAccess#UNCHECKED} for trusted in-VM code, or those of the
     *                 user it logged in as
     */
    public static LocalClient open(SessionServices services, EventExecutor executor, String clientId,
                                   boolean cleanStart, long expirySeconds, int receiveMaximum, Handler handler,
                                   ClientAccess access) {
        if (clientId == null || clientId.isEmpty() || clientId.indexOf('\u0000') >= 0 || receiveMaximum < 1
                || expirySeconds < 0 || expirySeconds > SessionRegistry.NEVER_EXPIRES) {
            throw new IllegalArgumentException("a local session needs a client id without U+0000, a receive "
                    + "maximum >= 1 and a session expiry of 0..4294967295 s");
        }
        SessionRegistry.Opened opened = services.sessions().open(clientId, cleanStart,
                id -> new Session(id, executor, services));
        if (opened.replaced() != null) {
            Session old = opened.replaced();
            old.execute(old::replaced);
        }
        LocalClient client = new LocalClient(services, opened.session(), handler, receiveMaximum);
        Session s = opened.session();
        s.setAccess(access);
        s.execute(() -> s.attach(client, expirySeconds > 0, expirySeconds, null, 0));
        return client;
    }

    @Override
    public String clientId() {
        return session.clientId();
    }

    @Override
    public void subscribe(String topicFilter, QoS qos) {
        subscribe(topicFilter, qos, false, true);
    }

    /**
     * Subscribes with the options a bridge's local side needs: {@code noLocal} keeps the messages it publishes
     * itself from coming back to it (MQTT 5's no local), and retained messages are sent only when asked.
     */
    public void subscribe(String topicFilter, QoS qos, boolean noLocal, boolean sendRetained) {
        SharedFilter shared = SharedFilter.parse(topicFilter);
        String filter = shared == null ? topicFilter : shared.filter();
        String error = Topics.isShared(topicFilter) && shared == null ? "malformed shared subscription"
                : Topics.topicFilterError(filter);
        if (error != null) {
            throw new IllegalArgumentException("'" + topicFilter + "': " + error);
        }
        if (!session.access().maySubscribe(filter)) {
            throw new SecurityException("'" + topicFilter + "': the acl_file lets this user read nothing under it");
        }
        QoS granted = QoS.of(Math.min(qos.value(), services.config().maxQos()));
        Subscription s = new Subscription(session, filter, shared == null ? null : shared.group(), granted, noLocal,
                noLocal, 0, 0);
        session.execute(() -> {
            session.subscribe(s);
            if (shared == null && sendRetained) {
                session.deliverRetained(s);
            }
        });
    }

    @Override
    public void unsubscribe(String topicFilter) {
        session.execute(() -> session.unsubscribe(topicFilter));
    }

    @Override
    public void close() {
        session.execute(() -> session.detach(this));
    }

    // ---- Outlet, on the session's executor ----

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public boolean sendPublish(Delivery d, int packetId, boolean dup) {
        QoS qos = d.qos();
        Acknowledgement ack = new Acknowledgement() {
            @Override
            public void accept() {
                if (qos == QoS.AT_LEAST_ONCE) {
                    session.execute(() -> session.onPubAck(packetId));
                } else if (qos == QoS.EXACTLY_ONCE) {
                    session.execute(() -> {
                        session.onPubRec(packetId);
                        session.onPubComp(packetId);
                    });
                }
            }

            @Override
            public void reject() {
                if (qos != QoS.AT_MOST_ONCE) {
                    session.executor().schedule(() -> session.execute(() -> session.redeliver(packetId)),
                            REDELIVERY_DELAY_MILLIS,
                            TimeUnit.MILLISECONDS);
                }
            }
        };
        try {
            handler.onMessage(d.publication().toApi(qos, d.retainFlag(), services.clock().millis()), ack);
        } catch (RuntimeException e) {
            LOG.warn("local client '{}': handler failed on {}: {}", clientId(), d.publication().topic(), e.toString());
            ack.reject();
        }
        return true;
    }

    @Override
    public void sendPubRel(int packetId) {
        // the in-VM QoS 2 exchange completes within accept(): nothing travels
    }

    @Override
    public void takenOver() {
        LOG.info("local client '{}' taken over by a connection with the same client id", clientId());
    }

    @Override
    public String remoteAddress() {
        return "in-vm";
    }

    @Override
    public int protocolVersion() {
        return 5;
    }

    @Override
    public int receiveMaximum() {
        return receiveMaximum;
    }
}
