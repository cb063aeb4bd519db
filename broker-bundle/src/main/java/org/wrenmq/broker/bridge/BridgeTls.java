package org.wrenmq.broker.bridge;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.wrenmq.broker.BridgeConfig;
import org.wrenmq.broker.ConfigException;

/**
 * TLS towards the remote broker: {@code bridge_cafile}/{@code bridge_capath} are the certificates the remote's
 * must chain to, {@code bridge_certfile}/{@code bridge_keyfile} (PEM, PKCS#8 key) the bridge's own, and the
 * remote's host name is checked against its certificate unless {@code bridge_insecure true}.
 */
final class BridgeTls {
    private BridgeTls() {
    }

    /** @throws ConfigException when a file cannot be read */
    static SslContext context(BridgeConfig c) {
        BridgeConfig.Tls t = c.tls();
        if (t == null) {
            return null;
        }
        try {
            // Netty 4.2 checks the host name by default: bridge_insecure must turn that off here, in the context
            SslContextBuilder b = SslContextBuilder.forClient().trustManager(trusted(t))
                    .endpointIdentificationAlgorithm(t.insecure() ? null : "HTTPS");
            if (t.certfile() != null) {
                b.keyManager(t.certfile().toFile(), t.keyfile().toFile());
            }
            if (t.tlsVersion() != null) {
                b.protocols(t.tlsVersion().equals("tlsv1.3") ? "TLSv1.3" : "TLSv1.2");
            }
            return b.build();
        } catch (IllegalArgumentException | IOException | CertificateException e) {
            throw new ConfigException("connection " + c.name() + ": bridge_cafile/bridge_capath/bridge_certfile/"
                    + "bridge_keyfile: not usable as PEM certificates and PKCS#8 key: " + e.getMessage());
        }
    }

    static SslHandler handler(SslContext context, Channel ch, BridgeConfig.Address a) {
        return context.newHandler(ch.alloc(), a.host(), a.port());
    }

    private static X509Certificate[] trusted(BridgeConfig.Tls t) throws IOException, CertificateException {
        List<Path> files = new ArrayList<>();
        if (t.cafile() != null) {
            files.add(t.cafile());
        }
        if (t.capath() != null) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(t.capath(), "*.{pem,crt}")) {
                dir.forEach(files::add);
            }
        }
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        for (Path f : files) {
            try (var in = Files.newInputStream(f)) {
                cf.generateCertificates(in).forEach(cert -> certs.add((X509Certificate) cert));
            }
        }
        if (certs.isEmpty()) {
            throw new CertificateException("no certificate in bridge_cafile/bridge_capath");
        }
        return certs.toArray(new X509Certificate[0]);
    }
}
