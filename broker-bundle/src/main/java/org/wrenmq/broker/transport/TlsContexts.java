package org.wrenmq.broker.transport;

import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.ListenerTls;

/**
 * Builds a listener's Netty {@link SslContext} from its mosquitto settings: OpenSSL (BoringSSL, netty-tcnative)
 * when its native library loads, the JDK's TLS otherwise. Both get the same trust manager, so {@code cafile},
 * {@code capath} and {@code crlfile} mean the same on either.
 */
public final class TlsContexts {
    /** TLS 1.3's suites: mosquitto's {@code ciphers} names TLS 1.2 suites only and leaves these enabled. */
    private static final List<String> TLS13_SUITES =
            List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");

    private TlsContexts() {
    }

    /**
     * System property that makes a broker started afterwards use the JDK's TLS even where OpenSSL loads (to compare
     * them, or to work around a problem in one).
     */
    public static final String PROVIDER_PROPERTY = "wrenmq.tls.provider";

    public static SslProvider provider() {
        return useOpenSsl() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** What the start-up log says about the TLS implementation in use. */
    public static String describeProvider() {
        if ("jdk".equals(System.getProperty(PROVIDER_PROPERTY))) {
            return "the JDK's (-D" + PROVIDER_PROPERTY + "=jdk)";
        }
        if (useOpenSsl()) {
            return "OpenSSL (" + OpenSsl.versionString() + ", netty-tcnative)";
        }
        Throwable why = OpenSsl.unavailabilityCause();
        return "the JDK's (OpenSSL not loaded: " + (why == null ? "unknown" : why.getMessage()) + ")";
    }

    private static boolean useOpenSsl() {
        if ("jdk".equals(System.getProperty(PROVIDER_PROPERTY))) {
            return false;
        }
        try {
            return OpenSsl.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    /** @throws ConfigException naming the file or setting that is wrong */
    public static SslContext build(ListenerTls tls, SslProvider provider) {
        SslContextBuilder b = serverKey(tls)
                .sslProvider(provider)
                .protocols("tlsv1.3".equals(tls.tlsVersion()) ? new String[] {"TLSv1.3"}
                        : new String[] {"TLSv1.3", "TLSv1.2"})
                .clientAuth(tls.requireCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        if (tls.cafile() != null || tls.capath() != null) {
            b.trustManager(trust(tls));
        }
        if (tls.ciphers() != null) {
            b.ciphers(ciphers(tls.ciphers()), SupportedCipherSuiteFilter.INSTANCE);
        }
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException((tls.keystore() != null ? "keystore " + tls.keystore()
                    : "certfile " + tls.certfile() + " / keyfile " + tls.keyfile()) + ": " + e.getMessage());
        }
    }

    private static SslContextBuilder serverKey(ListenerTls tls) {
        if (tls.keystore() == null) {
            PrivateKey key = PemFiles.privateKey(tls.keyfile());
            List<X509Certificate> chain = PemFiles.certificates(tls.certfile(), "certfile");
            return SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]));
        }
        char[] password = tls.keystorePassword() == null ? new char[0] : tls.keystorePassword().toCharArray();
        try {
            KeyStore store = KeyStore.getInstance(tls.keystore().toFile(), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return SslContextBuilder.forServer(kmf);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("keystore " + tls.keystore() + ": cannot read (wrong keystore_password, or "
                    + "not PKCS#12/JKS?): " + e.getMessage());
        }
    }

    private static TrustManagerFactory trust(ListenerTls tls) {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            List<X509Certificate> cas = new ArrayList<>();
            if (tls.cafile() != null) {
                cas.addAll(PemFiles.certificates(tls.cafile(), "cafile"));
            }
            if (tls.capath() != null) {
                cas.addAll(directory(tls.capath()));
            }
            for (int i = 0; i < cas.size(); i++) {
                anchors.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            if (tls.crlfile() == null) {
                tmf.init(anchors);
            } else {
                PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
                params.addCertStore(CertStore.getInstance("Collection",
                        new CollectionCertStoreParameters(PemFiles.crls(tls.crlfile()))));
                params.setRevocationEnabled(true);
                tmf.init(new CertPathTrustManagerParameters(params));
            }
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cafile/capath: cannot set up trust: " + e.getMessage());
        }
    }

    /** Every certificate in a {@code capath} directory (OpenSSL's hashed links included); other files are skipped. */
    private static List<X509Certificate> directory(Path dir) {
        List<X509Certificate> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    try {
                        out.addAll(PemFiles.certificates(f, "capath"));
                    } catch (ConfigException notACertificate) {
                        // capath may hold other files (CRLs, notes); OpenSSL skips them too
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfigException("capath " + dir + ": cannot read directory: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new ConfigException("capath " + dir + ": no PEM certificate in it");
        }
        return out;
    }

    /** mosquitto's {@code ciphers}: OpenSSL suite names separated by ':' (Java names are taken too). */
    private static List<String> ciphers(String list) {
        List<String> out = new ArrayList<>();
        for (String name : list.split(":")) {
            if (name.isBlank()) {
                continue;
            }
            String java = name.startsWith("TLS_") ? name : CipherSuiteConverter.toJava(name.trim(), "TLS");
            if (java == null) {
                throw new ConfigException("ciphers: '" + name + "' is not a cipher suite name (WrenMQ takes suite "
                        + "names such as ECDHE-RSA-AES128-GCM-SHA256, not OpenSSL cipher strings like HIGH)");
            }
            out.add(java);
        }
        out.addAll(TLS13_SUITES);
        return out;
    }
}
