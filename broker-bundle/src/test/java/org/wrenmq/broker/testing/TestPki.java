package org.wrenmq.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority made by the machine's {@code openssl} at test time (no private key is ever
 * committed): a CA, a server certificate for 127.0.0.1 and localhost, client certificates by CN, revocation with a
 * CRL. Keys are written in the forms mosquitto users have: PKCS#8, PKCS#1 RSA and SEC1 EC.
 */
public final class TestPki {
    public enum KeyForm { PKCS8_EC, PKCS8_RSA, PKCS1_RSA, SEC1_EC }

    private final Path dir;
    private int serial = 1;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** A new CA in {@code dir}: {@code ca.crt}, {@code ca.key}. */
    public static TestPki create(Path dir) {
        TestPki pki = new TestPki(dir);
        pki.write("ca.cnf", "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\ncrlnumber = crlnumber\n"
                + "default_md = sha256\ndefault_crl_days = 2\n");
        pki.write("index.txt", "");
        pki.write("crlnumber", "01\n");
        pki.key("ca.key", KeyForm.PKCS8_EC);
        pki.openssl("req", "-x509", "-new", "-key", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/O=WrenMQ tests/CN=WrenMQ Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return pki;
    }

    public Path dir() {
        return dir;
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    /** A server certificate for 127.0.0.1 and localhost: {@code NAME.crt}, {@code NAME.key}. */
    public Path[] server(String name, KeyForm form) {
        return issue(name, "/CN=localhost", form, "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                + "extendedKeyUsage=serverAuth\n");
    }

    /** A server certificate naming only this host (not the loopback address tests connect to): for name checks. */
    public Path[] serverNamed(String name, String host) {
        return issue(name, "/CN=" + host, KeyForm.PKCS8_EC, "subjectAltName=DNS:" + host + "\n"
                + "extendedKeyUsage=serverAuth\n");
    }

    /** A client certificate with the given CN: {@code CN.crt}, {@code CN.key}. */
    public Path[] client(String commonName) {
        return issue(commonName, "/O=WrenMQ tests/CN=" + commonName, KeyForm.PKCS8_EC, "extendedKeyUsage=clientAuth\n");
    }

    /** Revokes a certificate issued here and writes the CA's CRL to {@code crl.pem}; returns its path. */
    public Path revoke(Path certificate) {
        openssl("ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.crt", "-revoke", certificate.toString());
        return crl();
    }

    /** The CA's current CRL, {@code crl.pem}. */
    public Path crl() {
        openssl("ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.crt", "-gencrl", "-out", "crl.pem");
        return dir.resolve("crl.pem");
    }

    /** A PKCS#12 keystore holding a certificate and its key, as Karaf and Java servers keep them. */
    public Path keystore(Path[] certKey, String password) {
        Path out = dir.resolve(certKey[0].getFileName() + ".p12");
        openssl("pkcs12", "-export", "-in", certKey[0].toString(), "-inkey", certKey[1].toString(),
                "-passout", "pass:" + password, "-out", out.toString());
        return out;
    }

    /** An encrypted copy of a key, as {@code openssl pkey -aes256} writes it. */
    public Path encrypted(Path key) {
        Path out = dir.resolve(key.getFileName() + ".encrypted");
        openssl("pkey", "-in", key.toString(), "-aes256", "-passout", "pass:secret", "-out", out.toString());
        return out;
    }

    private Path[] issue(String name, String subject, KeyForm form, String extensions) {
        write(name + ".ext", extensions);
        key(name + ".key", form);
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", subject);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-set_serial", String.valueOf(100 + serial++), "-days", "2", "-extfile", name + ".ext",
                "-out", name + ".crt");
        return new Path[] {dir.resolve(name + ".crt"), dir.resolve(name + ".key")};
    }

    private void key(String file, KeyForm form) {
        switch (form) {
            case PKCS8_EC:
                openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file);
                break;
            case PKCS8_RSA:
                openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file);
                break;
            case PKCS1_RSA:
                openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file + ".p8");
                openssl("rsa", "-in", file + ".p8", "-traditional", "-out", file);
                break;
            case SEC1_EC:
                openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", file);
                break;
            default:
                throw new IllegalArgumentException(form.toString());
        }
    }

    private void write(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
