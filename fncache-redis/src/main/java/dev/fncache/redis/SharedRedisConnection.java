package dev.fncache.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thin layer over Lettuce that stores call: a single thread-safe connection, to a server
 * or a cluster ({@link LettuceClient}), seen through the command interface both share, so every
 * command is written once, and fncache's {@link FunctionLibrary}. Calls fail fast while
 * disconnected, and the connection heals by itself when the server is back.
 */
final class SharedRedisConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedRedisConnection.class);

    private final RedisLocation location;
    private final LettuceClient client;
    private final FunctionLibrary library;
    /** Whether the server may evict keys without a TTL (an allkeys-* policy), the key index among them. */
    private final boolean evictsAnyKey;

    private SharedRedisConnection(RedisLocation location, LettuceClient client) {
        this.location = location;
        this.client = client;
        this.library = new FunctionLibrary(client);
        this.evictsAnyKey = checkEvictionPolicy();
    }

    static SharedRedisConnection connect(RedisLocation location) {
        try {
            return new SharedRedisConnection(location, LettuceClient.connect(location));
        } catch (RedisException e) {
            throw RedisFailures.unavailable(location, "connect", e);
        }
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
            Map<String, String> config = client.commands.configGet("maxmemory-policy");
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

    /** Runs commands, mapping any Lettuce failure to a CacheUnavailableException. */
    <T> T call(String operation, Function<RedisClusterCommands<byte[], byte[]>, T> command) {
        try {
            return command.apply(client.commands);
        } catch (RedisException e) {
            throw RedisFailures.unavailable(location, operation, e);
        }
    }

    /**
     * Sends {@code commands} back to back on the shared connection, so they cost one round trip,
     * and waits for each reply within the command timeout; replies in the order sent. Other
     * clients' commands may run between them: for reads whose small skew does not matter.
     */
    List<Object> pipelined(String operation,
            Function<RedisClusterAsyncCommands<byte[], byte[]>, List<RedisFuture<?>>> commands) {
        return call(operation, ignored -> {
            List<RedisFuture<?>> sent = commands.apply(client.async);
            List<Object> replies = new ArrayList<>(sent.size());
            for (RedisFuture<?> reply : sent) {
                replies.add(LettuceFutures.awaitOrCancel(reply, location.timeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            return replies;
        });
    }

    /**
     * Calls one function of fncache's library (see {@link FunctionLibrary#call}); a user that may
     * not load a missing library gets a {@link FunctionLibrary.MissingLibraryException}, mapped
     * like every other failure. With {@code ?replicaAcks=N}, a function that changes entries
     * returns only once N replicas have its write ({@link LettuceClient#awaitReplicas}).
     */
    <T> T fcall(String operation, RedisFunction function, ScriptOutputType output,
            Function<RedisCommandExecutionException, RuntimeException> functionError, byte[][] keys, byte[]... args) {
        return call(operation, redis -> {
            T result = library.call(redis, function, output, functionError, keys, args);
            if (function.changesEntries && location.replicaAcks().enabled()) {
                client.awaitReplicas(keys[0], location.replicaAcks());
            }
            return result;
        });
    }

    <T> T fcall(String operation, RedisFunction function, ScriptOutputType output, byte[][] keys, byte[]... args) {
        return fcall(operation, function, output, error -> null, keys, args);
    }

    /** The Lettuce client under this connection, for a near cache's subscription. */
    LettuceClient client() {
        return client;
    }

    RedisLocation location() {
        return location;
    }

    @Override
    public void close() {
        client.close();
    }
}
