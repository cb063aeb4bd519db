package org.wrenmq.jca;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.jca.broker.BrokerAccess;
import org.wrenmq.jca.broker.Credentials;
import org.wrenmq.jca.broker.EmbeddedBrokerStart;
import org.wrenmq.jca.broker.RemoteBrokerAccess;
import org.wrenmq.jca.inbound.EndpointActivation;
import org.wrenmq.jca.inbound.WrenActivationSpec;

/**
 * The WrenMQ resource adapter. With no {@code serverUri} it starts a WrenMQ broker inside the application server
 * (configured by the properties below, which mean what the standalone broker's configuration keys of the same
 * name mean); with a {@code serverUri} it talks MQTT 5 to that server instead.
 *
 * <p>The properties are JavaBean properties because the Connectors specification sets them by reflection from
 * {@code ra.xml} and the server's own descriptors. A null property is not passed on: the broker's default holds,
 * with two exceptions that keep a broker inside an application server private until asked otherwise: it listens
 * on {@link #DEFAULT_BIND_ADDRESS} unless {@code bindAddress} is set, and there, without a {@code passwordFile},
 * it accepts anonymous clients (mosquitto 2's local-only rule, which the standalone broker applies too).
 */
public class WrenResourceAdapter implements ResourceAdapter, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WrenResourceAdapter.class);

    /** System properties naming a server's data directory: WildFly, GlassFish/Payara, Open Liberty, TomEE. */
    private static final List<String> SERVER_DATA_DIRECTORIES =
            List.of("jboss.server.data.dir", "com.sun.aas.instanceRoot", "server.output.dir", "catalina.base");

    /** {@code bindAddress} when unset: the loopback interface, as the standalone broker's local-only mode. */
    public static final String DEFAULT_BIND_ADDRESS = BrokerConfig.LOCAL_ONLY_BIND_ADDRESS;

    // embedded broker: each maps to the configuration key named in its comment
    private Integer port;                 // port
    private String bindAddress;           // bind_address
    private Boolean persistence;          // persistence
    private String persistenceLocation;   // persistence_location
    private Boolean allowAnonymous;       // allow_anonymous
    private String passwordFile;          // password_file
    private String aclFile;               // acl_file
    private Integer maxInflightMessages;  // max_inflight_messages
    private Integer maxQueuedMessages;    // max_queued_messages
    private Integer messageSizeLimit;     // message_size_limit
    private Integer maxConnections;       // max_connections
    private Integer connectTimeout;       // connect_timeout
    private Integer maxPendingConnections; // max_pending_connections
    private String httpListener;          // http_listener: "PORT [ADDRESS]" for /metrics, /health, /ready
    private String clusterName;           // cluster_name: turns clustering on
    private String clusterListener;       // cluster_listener: "PORT [ADDRESS]" of the Hazelcast member
    private String clusterMembers;        // cluster_members: "HOST:PORT[,HOST:PORT...]"
    private Integer clusterBackupCount;   // cluster_backup_count
    private Integer clusterMaxInflightMessages; // cluster_max_inflight_messages
    private String httpListenerCertfile;  // http_listener.certfile: with the keyfile, HTTPS
    private String httpListenerKeyfile;   // http_listener.keyfile
    private Boolean jmxRegistration;      // jmx_registration
    private String configFile;            // a whole mosquitto-style file, instead of the properties above

    // external broker
    private String serverUri;
    private String userName;
    private String password;
    private String clientIdPrefix = "wrenmq-jca";

    private transient BootstrapContext bootstrapContext;
    private transient volatile BrokerAccess brokerAccess;
    private transient Map<ActivationKey, EndpointActivation> activations;

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        // started again without a stop, the first broker would keep a user in the registry and its port forever
        stop();
        this.bootstrapContext = context;
        this.activations = new ConcurrentHashMap<>();
        try {
            if (isExternal()) {
                brokerAccess = new RemoteBrokerAccess(serverUri, Credentials.of(userName, password), clientIdPrefix);
                LOG.info("WRENMQ-JCA-001 resource adapter started for the MQTT server {}", serverUri);
            } else {
                brokerAccess = EmbeddedBrokerStart.start(brokerSettings(),
                        hasConfigFile() ? Path.of(configFile) : null, Credentials.of(userName, password),
                        embeddedBrokerConfig().cluster() != null);
                LOG.info("WRENMQ-JCA-002 resource adapter started with an embedded broker {}", brokerSettings());
            }
        } catch (RuntimeException e) {
            throw new ResourceAdapterInternalException("WrenMQ cannot start: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        try {
            if (activations != null) {
                activations.values().forEach(WrenResourceAdapter::stopEndpoint);
                activations.clear();
            }
        } finally {
            // whatever the endpoints did, the broker goes: it owns a port the server no longer accounts for
            BrokerAccess access = brokerAccess;
            brokerAccess = null;
            if (access != null) {
                access.close();
            }
        }
    }

    private static void stopEndpoint(EndpointActivation activation) {
        try {
            activation.stop();
        } catch (RuntimeException e) {
            LOG.warn("WRENMQ-JCA-003 a message endpoint did not stop cleanly, the adapter stops anyway: {}",
                    e.toString());
        }
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof WrenActivationSpec)) {
            throw new ResourceException("not a WrenMQ activation spec: " + spec);
        }
        WrenActivationSpec wrenSpec = (WrenActivationSpec) spec;
        wrenSpec.validate();
        EndpointActivation activation = new EndpointActivation(factory, wrenSpec, bootstrapContext, brokerAccess());
        activation.start();
        activations.put(new ActivationKey(factory, spec), activation);
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        EndpointActivation activation = activations.remove(new ActivationKey(factory, spec));
        if (activation != null) {
            activation.stop();
        }
    }

    /**
     * None: a message is acknowledged to the broker only after the bean's transaction committed, so after a crash
     * the broker simply delivers the unacknowledged messages again and nothing is left in doubt.
     */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** The broker, for connection factories and endpoints; fails while the adapter is not started. */
    public BrokerAccess brokerAccess() throws ResourceException {
        BrokerAccess access = brokerAccess;
        if (access == null) {
            throw new ResourceException("the WrenMQ resource adapter is not started");
        }
        return access;
    }

    private boolean hasConfigFile() {
        return isSet(configFile);
    }

    /** true on the default loopback listener without a password file; else null: the broker's rule decides. */
    private Boolean localOnlyAnonymous() {
        return isSet(bindAddress) || isSet(passwordFile) ? null : Boolean.TRUE;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** The embedded broker's configuration these properties give (the broker's defaults for the rest). */
    BrokerConfig embeddedBrokerConfig() {
        return hasConfigFile() ? BrokerConfig.parse(Path.of(configFile)) : BrokerConfig.fromMap(brokerSettings());
    }

    private boolean isExternal() {
        return serverUri != null && !serverUri.isBlank();
    }

    private Map<String, String> brokerSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        putIfSet(settings, "port", port);
        putIfSet(settings, "bind_address",
                isSet(bindAddress) || hasConfigFile() ? bindAddress : DEFAULT_BIND_ADDRESS);
        putIfSet(settings, "persistence", persistence);
        putIfSet(settings, "persistence_location", persistenceLocation != null || hasConfigFile()
                ? persistenceLocation : serverDataDirectory());
        putIfSet(settings, "allow_anonymous", allowAnonymous != null || hasConfigFile() ? allowAnonymous
                : localOnlyAnonymous());
        putIfSet(settings, "password_file", passwordFile);
        putIfSet(settings, "acl_file", aclFile);
        putIfSet(settings, "max_inflight_messages", maxInflightMessages);
        putIfSet(settings, "max_queued_messages", maxQueuedMessages);
        putIfSet(settings, "message_size_limit", messageSizeLimit);
        putIfSet(settings, "max_connections", maxConnections);
        putIfSet(settings, "connect_timeout", connectTimeout);
        putIfSet(settings, "max_pending_connections", maxPendingConnections);
        putIfSet(settings, "http_listener", httpListener);
        putIfSet(settings, "cluster_name", clusterName);
        putIfSet(settings, "cluster_listener", clusterListener);
        putIfSet(settings, "cluster_members", clusterMembers);
        putIfSet(settings, "cluster_backup_count", clusterBackupCount);
        putIfSet(settings, "cluster_max_inflight_messages", clusterMaxInflightMessages);
        putIfSet(settings, "http_listener.certfile", httpListenerCertfile);
        putIfSet(settings, "http_listener.keyfile", httpListenerKeyfile);
        putIfSet(settings, "jmx_registration", jmxRegistration);
        return settings;
    }

    /**
     * The store's default place: under the server's own data directory, where the server's operators look for
     * state. The broker's default ({@code data}, relative) would land in whatever directory the server started in.
     */
    private static String serverDataDirectory() {
        for (String property : SERVER_DATA_DIRECTORIES) {
            String directory = System.getProperty(property);
            if (directory != null && !directory.isBlank()) {
                return Path.of(directory, "wrenmq").toString();
            }
        }
        return null;
    }

    private static void putIfSet(Map<String, String> settings, String key, Object value) {
        if (value != null && !value.toString().isBlank()) {
            settings.put(key, value.toString());
        }
    }

    private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {
    }

    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
    public String getBindAddress() { return bindAddress; }
    public void setBindAddress(String bindAddress) { this.bindAddress = bindAddress; }
    public Boolean getPersistence() { return persistence; }
    public void setPersistence(Boolean persistence) { this.persistence = persistence; }
    public String getPersistenceLocation() { return persistenceLocation; }
    public void setPersistenceLocation(String location) { this.persistenceLocation = location; }
    public Boolean getAllowAnonymous() { return allowAnonymous; }
    public void setAllowAnonymous(Boolean allowAnonymous) { this.allowAnonymous = allowAnonymous; }
    public String getPasswordFile() { return passwordFile; }
    public void setPasswordFile(String passwordFile) { this.passwordFile = passwordFile; }
    public String getAclFile() { return aclFile; }
    public void setAclFile(String aclFile) { this.aclFile = aclFile; }
    public Integer getMaxInflightMessages() { return maxInflightMessages; }
    public void setMaxInflightMessages(Integer max) { this.maxInflightMessages = max; }
    public Integer getMaxQueuedMessages() { return maxQueuedMessages; }
    public void setMaxQueuedMessages(Integer max) { this.maxQueuedMessages = max; }
    public Integer getMessageSizeLimit() { return messageSizeLimit; }
    public void setMessageSizeLimit(Integer limit) { this.messageSizeLimit = limit; }
    public Integer getMaxConnections() { return maxConnections; }
    public void setMaxConnections(Integer max) { this.maxConnections = max; }
    public Integer getConnectTimeout() { return connectTimeout; }
    public void setConnectTimeout(Integer seconds) { this.connectTimeout = seconds; }
    public Integer getMaxPendingConnections() { return maxPendingConnections; }
    public void setMaxPendingConnections(Integer max) { this.maxPendingConnections = max; }
    public String getHttpListener() { return httpListener; }
    public void setHttpListener(String httpListener) { this.httpListener = httpListener; }
    public String getClusterName() { return clusterName; }
    public void setClusterName(String clusterName) { this.clusterName = clusterName; }
    public String getClusterListener() { return clusterListener; }
    public void setClusterListener(String clusterListener) { this.clusterListener = clusterListener; }
    public String getClusterMembers() { return clusterMembers; }
    public void setClusterMembers(String clusterMembers) { this.clusterMembers = clusterMembers; }
    public Integer getClusterBackupCount() { return clusterBackupCount; }
    public void setClusterBackupCount(Integer count) { this.clusterBackupCount = count; }
    public Integer getClusterMaxInflightMessages() { return clusterMaxInflightMessages; }
    public void setClusterMaxInflightMessages(Integer max) { this.clusterMaxInflightMessages = max; }
    public String getHttpListenerCertfile() { return httpListenerCertfile; }
    public void setHttpListenerCertfile(String certfile) { this.httpListenerCertfile = certfile; }
    public String getHttpListenerKeyfile() { return httpListenerKeyfile; }
    public void setHttpListenerKeyfile(String keyfile) { this.httpListenerKeyfile = keyfile; }
    public Boolean getJmxRegistration() { return jmxRegistration; }
    public void setJmxRegistration(Boolean register) { this.jmxRegistration = register; }
    public String getConfigFile() { return configFile; }
    public void setConfigFile(String configFile) { this.configFile = configFile; }
    public String getServerUri() { return serverUri; }
    public void setServerUri(String serverUri) { this.serverUri = serverUri; }
    public String getUserName() { return userName; }
    public void setUserName(String userName) { this.userName = userName; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
    public String getClientIdPrefix() { return clientIdPrefix; }
    public void setClientIdPrefix(String prefix) { this.clientIdPrefix = prefix; }

    /** Equal when configured alike, as the Connectors specification asks of a resource adapter bean. */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof WrenResourceAdapter)) return false;
        WrenResourceAdapter other = (WrenResourceAdapter) o;
        return brokerSettings().equals(other.brokerSettings()) && Objects.equals(configFile, other.configFile)
                && Objects.equals(serverUri, other.serverUri) && Objects.equals(userName, other.userName)
                && Objects.equals(password, other.password) && Objects.equals(clientIdPrefix, other.clientIdPrefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(brokerSettings(), configFile, serverUri, userName, clientIdPrefix);
    }
}
