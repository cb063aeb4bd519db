package org.wrenmq.broker;

import java.nio.file.Path;
import java.util.Set;
import org.wrenmq.broker.config.ConfigValues;
import org.wrenmq.broker.ListenerConfig.ListenerSecurity;

/**
 * Collects the settings of one {@code listener} block (or of mosquitto's default listener, for listener settings
 * given before any {@code listener} line) and checks them as a whole when the configuration is built. Errors found
 * then name the line where the block began.
 */
final class ListenerBlock {
    /** The keys that belong to the listener block they appear in. */
    static final Set<String> KEYS = Set.of("protocol", "cafile", "capath", "certfile", "keyfile",
            "require_certificate", "use_identity_as_username", "use_subject_as_username", "tls_version", "ciphers",
            "crlfile", "socket_domain", "tls_handshake_timeout", "keystore", "keystore_password");

    private final String origin;
    /** How errors name the block: {@code listener} or {@code http_listener}. */
    private String kind = "listener";
    private int port;
    private String bindAddress;
    private ListenerConfig.Protocol protocol = ListenerConfig.Protocol.MQTT;
    private Path cafile;
    private Path capath;
    private Path certfile;
    private Path keyfile;
    private boolean requireCertificate;
    private boolean useIdentityAsUsername;
    private boolean useSubjectAsUsername;
    private String tlsVersion;
    private String ciphers;
    private Path crlfile;
    private Path keystore;
    private String keystorePassword;
    private int handshakeTimeoutSeconds = ListenerTls.DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS;
    private int maxConnections = -1;
    private ListenerConfig.SocketDomain socketDomain;
    private boolean perListenerSecurity;
    private Boolean allowAnonymous;
    private Path passwordFile;
    private Path aclFile;

    /** @param origin where the block began ({@code FILE:LINE}), or null when not read from a file */
    ListenerBlock(int port, String bindAddress, String origin) {
        this.port = port;
        this.bindAddress = bindAddress;
        this.origin = origin;
    }

    void port(int port) {
        this.port = port;
    }

    void bindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    /** Applies one key of {@link #KEYS}, {@code max_connections}, or a security key of {@link ListenerSecurity}. */
    void set(String key, String v) {
        switch (key) {
            case "protocol": protocol = protocol(v); break;
            case "cafile": cafile = path(key, v); break;
            case "capath": capath = path(key, v); break;
            case "certfile": certfile = path(key, v); break;
            case "keyfile": keyfile = path(key, v); break;
            case "require_certificate": requireCertificate = ConfigValues.bool(key, v); break;
            case "use_identity_as_username": useIdentityAsUsername = ConfigValues.bool(key, v); break;
            case "use_subject_as_username": useSubjectAsUsername = ConfigValues.bool(key, v); break;
            case "tls_version": tlsVersion = tlsVersion(v); break;
            case "ciphers": ciphers = ConfigValues.nonEmpty(key, v); break;
            case "crlfile": crlfile = path(key, v); break;
            case "keystore": keystore = path(key, v); break;
            case "keystore_password": keystorePassword = v; break;
            case "socket_domain": socketDomain = socketDomain(v); break;
            case "tls_handshake_timeout": handshakeTimeoutSeconds = ConfigValues.integer(key, v, 1, 3600); break;
            case "max_connections": maxConnections = ConfigValues.integer(key, v, -1, Integer.MAX_VALUE); break;
            case "allow_anonymous": perListenerSecurity = true; allowAnonymous = ConfigValues.bool(key, v); break;
            case "password_file": perListenerSecurity = true; passwordFile = path(key, v); break;
            case "acl_file": perListenerSecurity = true; aclFile = path(key, v); break;
            default: throw new IllegalArgumentException(key);
        }
    }

    /** Applies one key of {@link #KEYS} that follows {@code http_listener}: the TLS ones apply to HTTPS as well. */
    void setForHttp(String key, String v) {
        if (key.equals("protocol") || key.equals("socket_domain")) {
            throw new ConfigException(key + " does not apply to http_listener (only its TLS settings do); put it "
                    + "after a listener line");
        }
        kind = "http_listener";
        set(key, v);
    }

    /** @param perListenerSettings {@code per_listener_settings}: the listener has security settings of its own */
    ListenerConfig build(boolean perListenerSettings) {
        boolean tlsAsked = cafile != null || capath != null || certfile != null || keyfile != null
                || requireCertificate || useIdentityAsUsername || useSubjectAsUsername || tlsVersion != null
                || ciphers != null || crlfile != null || keystore != null;
        ListenerTls tls = null;
        if (tlsAsked) {
            if (keystore == null && (certfile == null || keyfile == null)) {
                throw invalid("TLS needs both certfile and keyfile (or a keystore)");
            }
            if (keystore != null && (certfile != null || keyfile != null)) {
                throw invalid("keystore replaces certfile and keyfile: give one or the other");
            }
            if ((requireCertificate || crlfile != null) && cafile == null && capath == null) {
                throw invalid("require_certificate and crlfile need cafile or capath to check client certificates");
            }
            if ((useIdentityAsUsername || useSubjectAsUsername) && !requireCertificate) {
                throw invalid("use_identity_as_username and use_subject_as_username need require_certificate true");
            }
            tls = new ListenerTls(cafile, capath, certfile, keyfile, requireCertificate, useIdentityAsUsername,
                    useSubjectAsUsername, tlsVersion, ciphers, crlfile, handshakeTimeoutSeconds * 1000L, keystore,
                    keystorePassword);
        }
        ListenerSecurity security = perListenerSettings
                ? new ListenerSecurity(allowAnonymous, passwordFile, aclFile) : null;
        return new ListenerConfig(port, bindAddress, protocol, tls, maxConnections, socketDomain, security);
    }

    private ConfigException invalid(String why) {
        return new ConfigException((origin == null ? "" : origin + ": ") + kind + " " + port + ": " + why);
    }

    private static Path path(String key, String v) {
        return ConfigValues.path(key, v);
    }

    private static ListenerConfig.Protocol protocol(String v) {
        switch (v) {
            case "mqtt": return ListenerConfig.Protocol.MQTT;
            case "websockets": return ListenerConfig.Protocol.WEBSOCKETS;
            default: throw new ConfigException("protocol must be mqtt or websockets, not '" + v + "'");
        }
    }

    private static String tlsVersion(String v) {
        switch (v) {
            case "tlsv1.2":
            case "tlsv1.3":
                return v;
            case "tlsv1.1":
            case "tlsv1":
                throw new ConfigException("tls_version " + v + " is not supported (TLS below 1.2 is broken and "
                        + "disabled by the JDK and BoringSSL); use tlsv1.2 or tlsv1.3");
            default:
                throw new ConfigException("tls_version must be tlsv1.2 or tlsv1.3, not '" + v + "'");
        }
    }

    private static ListenerConfig.SocketDomain socketDomain(String v) {
        switch (v) {
            case "ipv4": return ListenerConfig.SocketDomain.IPV4;
            case "ipv6": return ListenerConfig.SocketDomain.IPV6;
            default: throw new ConfigException("socket_domain must be ipv4 or ipv6, not '" + v + "'");
        }
    }
}
