package org.wrenmq.broker.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.nio.ConnectionListener;
import com.hazelcast.internal.nio.Packet;
import com.hazelcast.internal.server.NetworkStats;
import com.hazelcast.internal.server.Server;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.ServerConnectionManager;
import com.hazelcast.internal.server.ServerContext;
import com.hazelcast.internal.server.tcp.LocalAddressRegistry;
import com.hazelcast.internal.server.tcp.ServerSocketRegistry;
import com.hazelcast.spi.properties.ClusterProperty;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Members whose network a test can cut and heal, in one JVM, as Hazelcast's own split-brain tests do: each member's
 * connection manager refuses to send to, or connect to, the members cut from it; {@link #cut} also closes the
 * connections between them and makes each side suspect the other, so that it leaves each side's member list at once
 * (instead of after Hazelcast's heartbeat timeout). {@link #heal} lifts the cut: Hazelcast's own split brain handler
 * finds the other side (within {@value #MERGE_SECONDS} s here) and merges the smaller side into the larger.
 * Built from Hazelcast's main jar only (its firewalling server is in its tests jar).
 */
final class NetworkCuts {
    static final int MERGE_SECONDS = 3;
    /** Each member's connection manager, by its address. */
    private static final Map<Address, Cuttable> MANAGERS = new ConcurrentHashMap<>();

    private NetworkCuts() {
    }

    /** From now on, members this JVM starts can be cut apart; until {@link #off}. */
    static void on() {
        HazelcastSetup.newMember = config -> HazelcastInstanceFactory.newHazelcastInstance(withQuickMerge(config),
                config.getInstanceName(), new Context());
    }

    static void off() {
        HazelcastSetup.newMember = com.hazelcast.core.Hazelcast::newHazelcastInstance;
        MANAGERS.clear();
    }

    private static Config withQuickMerge(Config config) {
        return config.setProperty(ClusterProperty.MERGE_FIRST_RUN_DELAY_SECONDS.getName(), "" + MERGE_SECONDS)
                .setProperty(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS.getName(), "" + MERGE_SECONDS);
    }

    /** Nothing goes between {@code a} and {@code b} any more; each drops the other from its member list. */
    static void cut(HazelcastInstance a, HazelcastInstance b) {
        Node na = node(a);
        Node nb = node(b);
        Cuttable ca = MANAGERS.get(na.getThisAddress());
        Cuttable cb = MANAGERS.get(nb.getThisAddress());
        ca.blocked.add(nb.getThisAddress());
        cb.blocked.add(na.getThisAddress());
        ca.closeTo(nb.getThisAddress());
        cb.closeTo(na.getThisAddress());
        suspect(na, nb);
        suspect(nb, na);
    }

    /** {@code node} suspects {@code other}, unless it already dropped it. */
    private static void suspect(Node node, Node other) {
        var member = node.getClusterService().getMember(other.getThisAddress());
        if (member != null) {
            node.getClusterService().suspectMember(member, "test: cut", true);
        }
    }

    /** {@code a} and {@code b} may reach each other again. */
    static void heal(HazelcastInstance a, HazelcastInstance b) {
        MANAGERS.get(node(a).getThisAddress()).blocked.remove(node(b).getThisAddress());
        MANAGERS.get(node(b).getThisAddress()).blocked.remove(node(a).getThisAddress());
    }

    private static Node node(HazelcastInstance h) {
        return ((HazelcastInstanceProxy) h).getOriginal().node;
    }

    /** Hazelcast's node context, with the member's server wrapped. */
    private static final class Context extends DefaultNodeContext {
        @Override
        public Server createServer(Node node, ServerSocketRegistry sockets, LocalAddressRegistry addresses) {
            Server server = super.createServer(node, sockets, addresses);
            Cuttable manager = new Cuttable(server.getConnectionManager(EndpointQualifier.MEMBER));
            MANAGERS.put(node.getThisAddress(), manager);
            return new CuttableServer(server, manager);
        }
    }

    /** The server as it is, but for its member connection manager. */
    private record CuttableServer(Server delegate, Cuttable manager) implements Server {
        @Override public ServerContext getContext() { return delegate.getContext(); }
        @Override public ServerConnectionManager getConnectionManager(EndpointQualifier qualifier) { return manager; }
        @Override public Collection<ServerConnection> getConnections() { return delegate.getConnections(); }
        @Override public Map<EndpointQualifier, NetworkStats> getNetworkStats() { return delegate.getNetworkStats(); }
        @Override public boolean isLive() { return delegate.isLive(); }
        @Override public void start() { delegate.start(); }
        @Override public void stop() { delegate.stop(); }
        @Override public void shutdown() { delegate.shutdown(); }
        @Override public void addConnectionListener(ConnectionListener<ServerConnection> l) {
            delegate.addConnectionListener(l);
        }
    }

    /** A member connection manager that neither sends to nor connects to the addresses cut from it. */
    private static final class Cuttable implements ServerConnectionManager {
        final Set<Address> blocked = ConcurrentHashMap.newKeySet();
        private final ServerConnectionManager delegate;

        Cuttable(ServerConnectionManager delegate) {
            this.delegate = delegate;
        }

        void closeTo(Address address) {
            delegate.getAllConnections(address).forEach(c -> c.close("test: network cut", null));
        }

        @Override
        public boolean transmit(Packet packet, Address target, int streamId) {
            return !blocked.contains(target) && delegate.transmit(packet, target, streamId);
        }

        @Override
        public ServerConnection get(Address address, int streamId) {
            return blocked.contains(address) ? null : delegate.get(address, streamId);
        }

        @Override
        public List<ServerConnection> getAllConnections(Address address) {
            return blocked.contains(address) ? List.of() : delegate.getAllConnections(address);
        }

        @Override
        public ServerConnection getOrConnect(Address address, int streamId) {
            return blocked.contains(address) ? null : delegate.getOrConnect(address, streamId);
        }

        @Override
        public ServerConnection getOrConnect(Address address, boolean silent, int streamId) {
            return blocked.contains(address) ? null : delegate.getOrConnect(address, silent, streamId);
        }

        @Override
        public boolean blockOnConnect(Address address, long timeoutMillis, int streamId) throws InterruptedException {
            return !blocked.contains(address) && delegate.blockOnConnect(address, timeoutMillis, streamId);
        }

        @Override
        public boolean register(Address remoteAddress, Address targetAddress, Collection<Address> aliases,
                                UUID remoteUuid, ServerConnection connection, int streamId) {
            if (blocked.contains(remoteAddress)) {
                connection.close("test: network cut", null);
                return false;
            }
            return delegate.register(remoteAddress, targetAddress, aliases, remoteUuid, connection, streamId);
        }

        @Override public Collection<ServerConnection> getConnections() { return delegate.getConnections(); }
        @Override public NetworkStats getNetworkStats() { return delegate.getNetworkStats(); }
        @Override public Server getServer() { return delegate.getServer(); }
        @Override public void accept(Packet packet) { delegate.accept(packet); }
        @Override public void addConnectionListener(ConnectionListener<ServerConnection> l) {
            delegate.addConnectionListener(l);
        }
    }
}
