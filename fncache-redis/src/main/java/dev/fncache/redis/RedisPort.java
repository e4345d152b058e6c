package dev.fncache.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The one thin layer over Lettuce: a single thread-safe connection, to a server or a cluster,
 * seen through the command interface both share, so every command is written once. Calls fail
 * fast while disconnected, and the connection heals by itself when the server is back.
 */
final class RedisPort implements AutoCloseable {
    private final RedisLocation location;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisClusterCommands<byte[], byte[]> commands;
    private final RedisClusterAsyncCommands<byte[], byte[]> asyncCommands;

    /** The replies of two commands sent back to back. */
    record Replies<A, B>(A first, B second) {
    }

    private RedisPort(RedisLocation location, ClientResources resources, AbstractRedisClient client,
            StatefulConnection<byte[], byte[]> connection, RedisClusterCommands<byte[], byte[]> commands,
            RedisClusterAsyncCommands<byte[], byte[]> asyncCommands) {
        this.location = location;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.asyncCommands = asyncCommands;
    }

    static RedisPort connect(RedisLocation location) {
        ClientResources resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
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
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers()
                                .enablePeriodicRefresh(Duration.ofSeconds(30))
                                .build())
                        .build());
                client = cluster;
                StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
                connectEveryNode(cluster, connection);
                return new RedisPort(location, resources, client, connection, connection.sync(), connection.async());
            }
            RedisClient server = RedisClient.create(resources, location.nodes().get(0));
            server.setOptions(ClientOptions.builder()
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            client = server;
            StatefulRedisConnection<byte[], byte[]> connection = server.connect(ByteArrayCodec.INSTANCE);
            return new RedisPort(location, resources, client, connection, connection.sync(), connection.async());
        } catch (RedisException e) {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw RedisFailures.unavailable(location, "connect", e);
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
     * Sends two commands back to back on the one connection, so they cost one round trip and the
     * server runs them in this order (in a cluster too: a namespace's keys share a slot), then
     * waits for both replies. Unlike a script they are not atomic together: callers order them
     * so that a failure between the two leaves nothing a reader could mistake for data.
     */
    <A, B> Replies<A, B> inOrder(String operation,
            Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<A>> first,
            Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<B>> second) {
        try {
            RedisFuture<A> firstReply = first.apply(asyncCommands);
            RedisFuture<B> secondReply = second.apply(asyncCommands);
            long waitMillis = location.timeout().toMillis() + 1_000;
            return new Replies<>(firstReply.get(waitMillis, TimeUnit.MILLISECONDS),
                    secondReply.get(waitMillis, TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            RuntimeException cause = e.getCause() instanceof RedisException redis ? redis
                    : new RedisException(String.valueOf(e.getCause()), e.getCause());
            throw RedisFailures.unavailable(location, operation, cause);
        } catch (TimeoutException e) {
            throw RedisFailures.unavailable(location, operation,
                    new RedisCommandTimeoutException("no reply within " + location.timeout().toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RedisFailures.unavailable(location, operation, new RedisException("interrupted", e));
        } catch (RedisException e) {
            throw RedisFailures.unavailable(location, operation, e);
        }
    }

    /**
     * Runs a script by its digest, loading it when the server does not know it (first use, or a
     * restarted server).
     */
    <T> T eval(String operation, RedisScript script, ScriptOutputType output, byte[][] keys, byte[]... args) {
        return eval(operation, script, output, error -> null, keys, args);
    }

    /**
     * Like {@link #eval(String, RedisScript, ScriptOutputType, byte[][], byte[]...)}, but an error
     * the script raised is first offered to {@code scriptError}, which may return the exception to
     * throw instead (or null to treat it as a server failure).
     */
    <T> T eval(String operation, RedisScript script, ScriptOutputType output,
            Function<RedisCommandExecutionException, RuntimeException> scriptError, byte[][] keys, byte[]... args) {
        return call(operation, redis -> {
            try {
                try {
                    return redis.evalsha(script.sha1, output, keys, args);
                } catch (RedisNoScriptException notLoaded) {
                    return redis.eval(script.source, output, keys, args);
                }
            } catch (RedisCommandExecutionException e) {
                RuntimeException interpreted = e instanceof RedisNoScriptException ? null : scriptError.apply(e);
                throw interpreted != null ? interpreted : e;
            }
        });
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
