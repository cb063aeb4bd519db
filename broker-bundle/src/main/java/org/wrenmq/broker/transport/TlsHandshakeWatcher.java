package org.wrenmq.broker.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.ListenerTls;
import org.wrenmq.broker.auth.CertificateIdentity;
import org.wrenmq.broker.metrics.BrokerMetrics;

/**
 * Sits behind the {@link SslHandler} until the handshake ends. A failed handshake (timed out, not TLS at all,
 * refused certificate) closes the connection with one log line and a counter; a good one hands the certificate's
 * identity to CONNECT when the listener takes user names from certificates. Then it leaves the pipeline.
 */
final class TlsHandshakeWatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeWatcher.class);

    private final ListenerTls tls;
    private final BrokerMetrics metrics;
    private boolean failed;

    TlsHandshakeWatcher(ListenerTls tls, BrokerMetrics metrics) {
        this.tls = tls;
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!(evt instanceof SslHandshakeCompletionEvent)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
        if (!done.isSuccess()) {
            handshakeFailed(ctx, done.cause());
            return;
        }
        if (tls.certificateIsIdentity()) {
            String userName = userName(ctx.pipeline().get(SslHandler.class));
            if (userName == null) {
                LOG.warn("connection from {} to listener {} closed: its certificate has no CN to use as user name",
                        ctx.channel().remoteAddress(), ctx.channel().localAddress());
                ctx.close();
                return;
            }
            CertificateIdentity.set(ctx.channel(), userName);
        }
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(evt);
    }

    /** The handshake's failure is logged once, by the completion event; the exception that follows is not. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!failed) {
            handshakeFailed(ctx, cause);
        }
    }

    private void handshakeFailed(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        Throwable root = cause.getCause() != null && !(cause instanceof SslHandshakeTimeoutException)
                && !(cause instanceof NotSslRecordException) ? cause.getCause() : cause;
        Object remote = ctx.channel().remoteAddress();
        Object listener = ctx.channel().localAddress();
        if (cause instanceof SslHandshakeTimeoutException) {
            metrics.tlsHandshakesTimedOut.increment();
            LOG.warn("connection from {} to TLS listener {} closed: handshake not finished within "
                    + "tls_handshake_timeout ({} s)", remote, listener, tls.handshakeTimeoutMillis() / 1000);
        } else if (cause instanceof NotSslRecordException || root instanceof NotSslRecordException) {
            metrics.tlsHandshakesFailed.increment();
            LOG.warn("connection from {} to TLS listener {} closed: it did not speak TLS (plain MQTT sent to a TLS "
                    + "port?)", remote, listener);
        } else {
            metrics.tlsHandshakesFailed.increment();
            LOG.warn("connection from {} to TLS listener {} closed: TLS handshake failed: {}", remote, listener,
                    root.getMessage() != null ? root.getMessage() : root.toString());
        }
        ctx.close();
    }

    private String userName(SslHandler ssl) {
        Certificate[] peer;
        try {
            peer = ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        X500Principal subject = ((X509Certificate) peer[0]).getSubjectX500Principal();
        if (tls.useSubjectAsUsername()) {
            return subject.getName(X500Principal.RFC2253);
        }
        try {
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
