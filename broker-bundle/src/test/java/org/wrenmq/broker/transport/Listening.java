package org.wrenmq.broker.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.BrokerConfig;

/**
 * Starts brokers from config file text, as an operator would write it (listeners on port 0 are given their real
 * port by {@link #port}), and makes the clients' TLS contexts. Everything started is closed after each test.
 */
public final class Listening implements AfterEachCallback {
    private final List<AutoCloseable> started = new ArrayList<>();

    Broker start(Path dir, String conf) {
        try {
            Path file = Files.writeString(dir.resolve("wrenmq.conf"), conf + "\npersistence false\n");
            return track(Broker.builder().config(BrokerConfig.parse(file)).build().start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T extends AutoCloseable> T track(T closeable) {
        started.add(0, closeable);
        return closeable;
    }

    /** The bound port of the broker's listener number {@code index}, in config file order. */
    static int port(Broker broker, int index) {
        return broker.boundAddresses().get(index).getPort();
    }

    /** A client's TLS context trusting {@code ca}; with a certificate and key when {@code clientCertKey} is given. */
    static SSLContext ssl(Path ca, Path[] clientCertKey, String protocol) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", PemFiles.certificates(ca, "ca").get(0));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (clientCertKey != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", PemFiles.privateKey(clientCertKey[1]), new char[0],
                        PemFiles.certificates(clientCertKey[0], "cert").toArray(new X509Certificate[0]));
                kmf = KeyManagerFactory.getInstance("PKIX");
                kmf.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SSLContext ssl(Path ca) {
        return ssl(ca, null, "TLS");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                // already closed by the test
            }
        }
        started.clear();
    }
}
