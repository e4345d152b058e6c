package dev.fncache.redis;

import dev.fncache.support.OpenResources;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisFunctionCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce set up for one location: the client, with its timeouts, fail-fast behaviour while
 * disconnected and (for a cluster) topology refresh, and its one connection, seen through the
 * command interface a server and a cluster share.
 */
final class LettuceClient implements AutoCloseable {
    /**
     * Lettuce's event loops and timers, shared by every connection of this JVM and shut down with
     * the last: static because threads belong to the process, and one set serves every URL.
     */
    private static final OpenResources<String, ClientResources> RESOURCES = new OpenResources<>();
    private static final String SHARED = "shared";

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> connection;
    final RedisClusterCommands<byte[], byte[]> commands;
    /** The same connection's commands sent without waiting, for pipelining a few in one round trip. */
    final RedisClusterAsyncCommands<byte[], byte[]> async;

    private LettuceClient(ClientResources resources, AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
            RedisClusterCommands<byte[], byte[]> commands, RedisClusterAsyncCommands<byte[], byte[]> async) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.async = async;
    }

    /** Connects, or throws what Lettuce threw (a {@link RedisException} when the server cannot be used). */
    static LettuceClient connect(RedisLocation location) {
        ClientResources resources = RESOURCES.acquire(SHARED, LettuceClient::newResources);
        SocketOptions socket = SocketOptions.builder().connectTimeout(location.timeout()).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(location.timeout());
        AbstractRedisClient client = null;
        try {
            if (location.cluster()) {
                RedisClusterClient cluster = RedisClusterClient.create(resources, location.nodes());
                cluster.setOptions(ClusterClientOptions.builder()
                        .socketOptions(socket)
                        .timeoutOptions(timeouts)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .topologyRefreshOptions(topologyRefresh())
                        .build());
                client = cluster;
                StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
                connectEveryNode(cluster, connection);
                return new LettuceClient(resources, client, connection, connection.sync(), connection.async());
            }
            RedisClient server = RedisClient.create(resources, location.nodes().get(0));
            server.setOptions(ClientOptions.builder()
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            client = server;
            StatefulRedisConnection<byte[], byte[]> connection = server.connect(ByteArrayCodec.INSTANCE);
            return new LettuceClient(resources, client, connection, connection.sync(), connection.async());
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            releaseResources(resources);
            throw e;
        }
    }

    /**
     * Redis {@code WAIT} on the connection that wrote {@code key} (the master of its slot on a
     * cluster, the connection slot routing uses), so it covers that write: returns once
     * {@code acks.replicas()} replicas have every write sent on it, or throws
     * {@link ReplicaAcksMissingException} when fewer did within {@code acks.timeout()}.
     */
    void awaitReplicas(byte[] key, RedisLocation.ReplicaAcks acks) {
        RedisClusterCommands<byte[], byte[]> writer = commands;
        if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
            RedisClusterNode master = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
            if (master != null) {
                writer = cluster.getConnection(master.getUri().getHost(), master.getUri().getPort(), ConnectionIntent.WRITE)
                        .sync();
            }
        }
        long acknowledged;
        try {
            acknowledged = writer.waitForReplication(acks.replicas(), acks.timeout().toMillis());
        } catch (RedisCommandExecutionException e) {
            if (RedisFailures.refusal(e) == RedisFailures.Refusal.NO_PERMISSION) {
                throw new ReplicaAcksMissingException("the write was applied, but this user may not run WAIT, which "
                        + "replicaAcks needs; give it +wait (deploy/redis/fncache-acl-user grants it)", e);
            }
            throw e;
        }
        if (acknowledged < acks.replicas()) {
            throw new ReplicaAcksMissingException("the write was applied on the master, but only " + acknowledged + " of "
                    + acks.replicas() + " replicas acknowledged it within replicaAckTimeout " + acks.timeout().toMillis()
                    + " ms (replicaAcks=" + acks.replicas() + "), so a failover may still lose it", null);
        }
    }

    /** A write the master applied but too few replicas acknowledged: its outcome after a failover is unknown. */
    static final class ReplicaAcksMissingException extends RedisException {
        private static final long serialVersionUID = 1L;

        ReplicaAcksMissingException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A new connection for subscriptions, with the client's options; on a cluster, messages of
     * the node connections Lettuce opens for shard channels reach its listeners.
     */
    StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterPubSubConnection<byte[], byte[]> pubSub = cluster.connectPubSub(ByteArrayCodec.INSTANCE);
            pubSub.setNodeMessagePropagation(true);
            return pubSub;
        }
        return ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
    }

    /** Tells {@code listener} of every connect and disconnect of this client's connections. */
    void addConnectionListener(RedisConnectionStateListener listener) {
        client.addListener(listener);
    }

    void removeConnectionListener(RedisConnectionStateListener listener) {
        client.removeListener(listener);
    }

    /** The commands of every master: the one server, or each master of the cluster. */
    List<RedisFunctionCommands<byte[], byte[]>> everyMaster() {
        if (!(connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)) {
            return List.of(commands);
        }
        List<RedisFunctionCommands<byte[], byte[]>> masters = new ArrayList<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                masters.add(cluster.getConnection(node.getNodeId()).sync());
            }
        }
        return masters;
    }

    private static ClientResources newResources(String unused) {
        return ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofMillis(250), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    private static void releaseResources(ClientResources resources) {
        RESOURCES.release(SHARED, resources, shared -> shared.shutdown(0, 2, TimeUnit.SECONDS));
    }

    /**
     * Every adaptive trigger (MOVED and ASK redirects, reconnects, unknown nodes and uncovered
     * slots) plus a refresh every 30 s. Adaptive refreshes may follow each other after 250 ms, and
     * three failed reconnects to a node trigger one, reconnects being at most 250 ms apart, so a
     * promoted replica is seen about a quarter of a second after the promotion: 60-360 ms in
     * {@code RedisClusterFailoverTest} on a loaded machine, 140-570 ms with 500 ms for both, and
     * calls failed for 6.2 s in all with Lettuce's defaults (30 s between adaptive refreshes,
     * 5 attempts). Lettuce 7.7 marks the trigger methods deprecated without a
     * replacement in this version, so the warning is silenced here and nowhere else.
     */
    @SuppressWarnings("deprecation")
    private static ClusterTopologyRefreshOptions topologyRefresh() {
        return ClusterTopologyRefreshOptions.builder()
                .enableAllAdaptiveRefreshTriggers()
                .adaptiveRefreshTriggersTimeout(Duration.ofMillis(250))
                .refreshTriggersReconnectAttempts(3)
                .enablePeriodicRefresh(Duration.ofSeconds(30))
                .build();
    }

    /**
     * Lettuce opens a cluster's node connections lazily, and with REJECT_COMMANDS it rejects a
     * command that would wait for one; so open the connections slot routing uses (write intent,
     * by host and port) to every master now.
     */
    private static void connectEveryNode(RedisClusterClient cluster,
            StatefulRedisClusterConnection<byte[], byte[]> connection) {
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                connection.getConnection(node.getUri().getHost(), node.getUri().getPort(), ConnectionIntent.WRITE);
            }
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        releaseResources(resources);
    }
}
