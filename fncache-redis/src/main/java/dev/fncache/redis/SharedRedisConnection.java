package dev.fncache.redis;

import dev.fncache.support.OpenResources;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisFunctionCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thin layer over Lettuce: a single thread-safe connection, to a server or a cluster,
 * seen through the command interface both share, so every command is written once. Calls fail
 * fast while disconnected, and the connection heals by itself when the server is back.
 */
final class SharedRedisConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedRedisConnection.class);
    /**
     * Lettuce's event loops and timers, shared by every connection of this JVM and shut down with
     * the last: static because threads belong to the process, and one set serves every URL.
     */
    private static final OpenResources<String, ClientResources> RESOURCES = new OpenResources<>();
    private static final String SHARED = "shared";

    private final RedisLocation location;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisClusterCommands<byte[], byte[]> commands;
    /** Whether the server may evict keys without a TTL (an allkeys-* policy), the key index among them. */
    private final boolean evictsAnyKey;

    private SharedRedisConnection(RedisLocation location, ClientResources resources, AbstractRedisClient client,
            StatefulConnection<byte[], byte[]> connection, RedisClusterCommands<byte[], byte[]> commands) {
        this.location = location;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.evictsAnyKey = checkEvictionPolicy();
    }

    /**
     * Reads the server's maxmemory-policy and warns once when it may evict live keys: a
     * volatile-* policy evicts values before their TTL, an allkeys-* policy the key index too, so
     * {@code keys()} then scans the namespace instead of trusting the index. A user that may not
     * read the configuration (a function's own user) learns nothing: the deploy recipe's server
     * never evicts.
     */
    private boolean checkEvictionPolicy() {
        String policy;
        try {
            Map<String, String> config = commands.configGet("maxmemory-policy");
            policy = config.getOrDefault("maxmemory-policy", "noeviction");
        } catch (RedisException e) {
            return false;
        }
        if (policy.startsWith("allkeys-") || policy.startsWith("volatile-")) {
            LOG.warn(location
                    + " has maxmemory-policy " + policy + ": when full, Redis evicts live entries before their TTL"
                    + (policy.startsWith("allkeys-") ? ", and may evict a namespace's key index, so keys() scans the "
                    + "namespace's keys instead (slower)" : "")
                    + ". Use maxmemory-policy noeviction, as deploy/redis/redis.conf does.");
        }
        return policy.startsWith("allkeys-");
    }

    /** Whether the server may evict the key index (see {@link #checkEvictionPolicy()}). */
    boolean evictsAnyKey() {
        return evictsAnyKey;
    }

    private static ClientResources newResources(String unused) {
        return ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    private static void releaseResources(ClientResources resources) {
        RESOURCES.release(SHARED, resources, shared -> shared.shutdown(0, 2, TimeUnit.SECONDS));
    }

    /**
     * Every adaptive trigger (MOVED and ASK redirects, reconnects, unknown nodes and uncovered
     * slots) plus a refresh every 30 s. Lettuce 7.7 marks the trigger methods deprecated without a
     * replacement in this version, so the warning is silenced here and nowhere else.
     */
    @SuppressWarnings("deprecation")
    private static ClusterTopologyRefreshOptions topologyRefresh() {
        return ClusterTopologyRefreshOptions.builder()
                .enableAllAdaptiveRefreshTriggers()
                .enablePeriodicRefresh(Duration.ofSeconds(30))
                .build();
    }

    static SharedRedisConnection connect(RedisLocation location) {
        ClientResources resources = RESOURCES.acquire(SHARED, SharedRedisConnection::newResources);
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
                return new SharedRedisConnection(location, resources, client, connection, connection.sync());
            }
            RedisClient server = RedisClient.create(resources, location.nodes().get(0));
            server.setOptions(ClientOptions.builder()
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            client = server;
            StatefulRedisConnection<byte[], byte[]> connection = server.connect(ByteArrayCodec.INSTANCE);
            return new SharedRedisConnection(location, resources, client, connection, connection.sync());
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            releaseResources(resources);
            throw e instanceof RedisException ? RedisFailures.unavailable(location, "connect", e) : e;
        }
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

    /** Runs commands, mapping any Lettuce failure to a CacheUnavailableException. */
    <T> T call(String operation, Function<RedisClusterCommands<byte[], byte[]>, T> command) {
        try {
            return command.apply(commands);
        } catch (RedisException e) {
            throw RedisFailures.unavailable(location, operation, e);
        }
    }

    /**
     * Calls one function of fncache's library. When the server does not have the library (first
     * use, a server restarted without persistence, a flushed library), loads it on every master
     * and calls again; a user that may not load it gets a {@link MissingLibraryException}. An
     * error the function raised is first offered to {@code functionError}, which may return the
     * exception to throw instead (or null to treat it as a server failure).
     */
    <T> T fcall(String operation, RedisFunction function, ScriptOutputType output,
            Function<RedisCommandExecutionException, RuntimeException> functionError, byte[][] keys, byte[]... args) {
        return call(operation, redis -> {
            try {
                try {
                    return redis.fcall(function.functionName, output, keys, args);
                } catch (RedisCommandExecutionException e) {
                    if (RedisFailures.refusal(e) != RedisFailures.Refusal.FUNCTION_NOT_FOUND) {
                        throw e;
                    }
                    loadLibrary();
                    return redis.fcall(function.functionName, output, keys, args);
                }
            } catch (RedisCommandExecutionException e) {
                RuntimeException interpreted = functionError.apply(e);
                throw interpreted != null ? interpreted : e;
            }
        });
    }

    <T> T fcall(String operation, RedisFunction function, ScriptOutputType output, byte[][] keys, byte[]... args) {
        return fcall(operation, function, output, error -> null, keys, args);
    }

    private void loadLibrary() {
        if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
            for (RedisClusterNode node : cluster.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    loadLibrary(cluster.getConnection(node.getNodeId()).sync());
                }
            }
        } else {
            loadLibrary(commands);
        }
    }

    private static void loadLibrary(RedisFunctionCommands<byte[], byte[]> redis) {
        try {
            redis.functionLoad(RedisFunction.librarySource());
        } catch (RedisCommandExecutionException e) {
            switch (RedisFailures.refusal(e)) {
                case LIBRARY_ALREADY_LOADED:
                    return;
                case NO_PERMISSION:
                    throw new MissingLibraryException(e);
                default:
                    throw e;
            }
        }
    }

    /** The server lacks fncache's function library, and this user may not load it. */
    static final class MissingLibraryException extends RedisException {
        private static final long serialVersionUID = 1L;

        MissingLibraryException(Throwable cause) {
            super("the server has no Redis function library " + RedisFunction.LIBRARY + " and this user may not "
                    + "load it; an operator loads it once with deploy/redis/fncache-load-library", cause);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        releaseResources(resources);
    }
}
