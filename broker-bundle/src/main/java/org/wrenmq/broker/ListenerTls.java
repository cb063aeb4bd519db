package org.wrenmq.broker;

import java.nio.file.Path;

/**
 * The TLS settings of one listener, under mosquitto's names. Files are PEM, as mosquitto takes them; they are read
 * when the listener starts and again on reload ({@code kill -HUP}).
 *
 * @param cafile                 {@code cafile}: CA certificates that sign client certificates
 * @param capath                 {@code capath}: a directory of such CA certificates
 * @param certfile               {@code certfile}: the server certificate (chain)
 * @param keyfile                {@code keyfile}: its private key, not encrypted
 * @param requireCertificate     {@code require_certificate}: clients must present a certificate signed by the CA
 * @param useIdentityAsUsername  {@code use_identity_as_username}: the certificate's CN is the user name
 * @param useSubjectAsUsername   {@code use_subject_as_username}: the certificate's whole subject is the user name
 * @param tlsVersion             {@code tls_version}: the lowest version accepted, {@code tlsv1.2} or {@code tlsv1.3};
 *                               null accepts both
 * @param ciphers                {@code ciphers}: TLS 1.2 cipher suites, OpenSSL names separated by ':'; null for the
 *                               provider's defaults
 * @param crlfile                {@code crlfile}: a PEM certificate revocation list checked for client certificates
 * @param handshakeTimeoutMillis {@code tls_handshake_timeout} (seconds in the file): a handshake not finished by then
 *                               is closed and counted
 * @param keystore               {@code keystore}: a PKCS#12 or JKS file holding the server key and certificate, as
 *                               Karaf and Java servers keep them; instead of certfile and keyfile
 * @param keystorePassword       {@code keystore_password}: its password (also the key's)
 */
public record ListenerTls(Path cafile, Path capath, Path certfile, Path keyfile, boolean requireCertificate,
                          boolean useIdentityAsUsername, boolean useSubjectAsUsername, String tlsVersion,
                          String ciphers, Path crlfile, long handshakeTimeoutMillis, Path keystore,
                          String keystorePassword) {

    /** {@code tls_handshake_timeout}: seconds a client has to finish its TLS handshake. */
    public static final int DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS = 10;

    @Override
    public String toString() {
        return "ListenerTls[certfile=" + certfile + ", keyfile=" + keyfile + ", keystore=" + keystore + "]";
    }

    /** True when the user name comes from the client's certificate instead of CONNECT. */
    public boolean certificateIsIdentity() {
        return useIdentityAsUsername || useSubjectAsUsername;
    }
}
