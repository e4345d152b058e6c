package dev.fncache.redis;

import dev.fncache.CacheStatsRecorder;
import dev.fncache.RateLimitRule;
import dev.fncache.spi.CacheStore;
import dev.fncache.spi.GlobPattern;
import dev.fncache.spi.LiveValue;
import dev.fncache.spi.NearCacheBounds;
import dev.fncache.spi.RateLimitHit;
import dev.fncache.spi.StoredEntry;
import dev.fncache.spi.ValueReader;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis namespace with a {@link NearCache} in front: {@code get} and {@code getMany} answer
 * from local copies the {@link NearCache} rules allow, and fill them from Redis (value and
 * lifetime in one round trip); everything else goes to Redis, and each write drops this
 * instance's copies of the keys it wrote once Redis has it, so an instance reads its own writes.
 * Atomic and versioned operations ({@code getEntry}, {@code replace}, {@code increment},
 * {@code rateLimit}, leases) and policy reads always read Redis.
 */
final class NearCachedStore implements CacheStore {
    private static final Logger LOG = LoggerFactory.getLogger(NearCachedStore.class);

    private final RedisStore store;
    private final NearCache near;
    private final LettuceClient client;
    private final StatefulRedisPubSubConnection<byte[], byte[]> subscription;
    private final RedisConnectionStateListener epochs;
    private final AtomicBoolean refusedWarned = new AtomicBoolean();

    private NearCachedStore(RedisStore store, NearCacheBounds size, CacheStatsRecorder stats) {
        this.store = store;
        this.client = store.connection().client();
        byte[][] flag = {store.layout().nearFlag()};
        this.near = new NearCache(size, stats, heartbeat -> client.async.fcall(RedisFunction.NEAR_HEARTBEAT.functionName,
                ScriptOutputType.VALUE, flag, heartbeat, NearCache.freshFlagId(), NearCache.FLAG_PX), this::subscribe);
        keepFlag(flag);
        this.subscription = client.connectPubSub();
        this.subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void smessage(byte[] shardChannel, byte[] message) {
                near.onMessage(message);
            }
        });
        this.epochs = new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                near.newEpoch();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                near.newEpoch();
            }
        };
        client.addConnectionListener(epochs);
        subscribe();
    }

    /** {@code store} behind a near cache of {@code size}; closes {@code store} when it cannot subscribe. */
    static NearCachedStore open(RedisStore store, NearCacheBounds size, CacheStatsRecorder stats) {
        try {
            return new NearCachedStore(store, size, stats);
        } catch (RedisException e) {
            store.close();
            throw RedisFailures.unavailable(store.connection().location(), "nearCache", e);
        }
    }

    /**
     * Sets the namespace's flag once before subscribing, through the connection's function call,
     * which loads the library where it is missing (the asynchronous heartbeats cannot). A user
     * that may not keep the flag (an ACL line older than fncache_v6) gets a warning: its
     * heartbeats fail too, so the near cache serves nothing.
     */
    private void keepFlag(byte[][] flag) {
        try {
            store.connection().fcall("nearCache", RedisFunction.NEAR_HEARTBEAT, ScriptOutputType.VALUE, flag,
                    new byte[] {'h'}, NearCache.freshFlagId(), NearCache.FLAG_PX); // a heartbeat no near cache takes for its own
        } catch (RuntimeException e) {
            LOG.warn("the near cache of {} serves nothing until it may keep the key fncache:{{NAMESPACE}}:near ({}); "
                    + "give the user the line deploy/redis/fncache-acl-user prints, which grants it since fncache_v6",
                    store.connection().location(), e.getMessage());
        }
    }

    private void subscribe() {
        if (subscription == null || !subscription.isOpen()) {
            return; // subscribed again on reconnecting: onRedisConnected begins a new epoch
        }
        RedisFuture<Void> subscribed;
        try {
            subscribed = subscription.async().ssubscribe(store.layout().changes());
        } catch (RuntimeException e) {
            // a cluster connection being shut down refuses the command before sending it; a new
            // epoch subscribes again once it reconnects, and until then nothing is served
            LOG.debug("the near cache of {} could not subscribe now ({})", store.connection().location(), e.toString());
            return;
        }
        subscribed.exceptionally(thrown -> {
            Throwable failure = thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
                    ? thrown.getCause() : thrown;
            if (failure instanceof RedisCommandExecutionException refused
                    && RedisFailures.refusal(refused) == RedisFailures.Refusal.NO_PERMISSION) {
                if (refusedWarned.compareAndSet(false, true)) {
                    LOG.warn("the near cache of {} serves nothing: this user may not subscribe to its namespace's "
                            + "channel (NOPERM); give it the line deploy/redis/fncache-acl-user prints, which grants "
                            + "it since fncache_v5", store.connection().location());
                }
            } else {
                LOG.debug("the near cache of {} will subscribe again ({})", store.connection().location(), failure.toString());
            }
            return null;
        });
    }

    @Override
    public byte[] get(String key) {
        byte[] copy = near.get(key);
        if (copy != null) {
            return copy;
        }
        return read(key);
    }

    @Override
    public <T> T get(String key, ValueReader<T> reader) {
        NearCache.Copy copy = near.copy(key);
        if (copy != null) {
            return copy.read(reader);
        }
        byte[] json = read(key);
        return json == null ? null : reader.read(json);
    }

    private byte[] read(String key) {
        NearCache.Fill fill = near.startFill(key);
        if (fill == null) {
            return store.get(key);
        }
        LiveValue live = null;
        try {
            live = store.getLive(key);
            return live == null ? null : live.value();
        } finally {
            near.completeFill(key, fill, live == null ? null : live.value(), live == null ? 0 : live.remainingMillis());
        }
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        List<byte[]> values = new ArrayList<>(keys.size());
        List<String> missing = new ArrayList<>();
        List<Integer> missingAt = new ArrayList<>();
        for (String key : keys) {
            byte[] copy = near.get(key);
            if (copy == null) {
                missing.add(key);
                missingAt.add(values.size());
            }
            values.add(copy);
        }
        if (!missing.isEmpty()) {
            List<byte[]> read = store.getAll(missing);
            for (int i = 0; i < missing.size(); i++) {
                values.set(missingAt.get(i), read.get(i));
            }
        }
        return values;
    }

    @Override
    public boolean contains(String key) {
        return store.contains(key);
    }

    @Override
    public void put(String key, byte[] value, long ttlMillis) {
        thenDrop(key, () -> {
            store.put(key, value, ttlMillis);
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, long ttlMillis) {
        return thenDrop(key, () -> store.putIfAbsent(key, value, ttlMillis));
    }

    @Override
    public boolean remove(String key) {
        return thenDrop(key, () -> store.remove(key));
    }

    @Override
    public long remainingMillis(String key) {
        return store.remainingMillis(key);
    }

    @Override
    public long extend(String key, long addMillis, long maxRemainingMillis) {
        return store.extend(key, addMillis, maxRemainingMillis);
    }

    @Override
    public long increment(String key, long delta, long ttlMillis) {
        return thenDrop(key, () -> store.increment(key, delta, ttlMillis));
    }

    @Override
    public StoredEntry getEntry(String key) {
        return store.getEntry(key);
    }

    @Override
    public LiveValue getLive(String key) {
        return store.getLive(key);
    }

    @Override
    public boolean replace(String key, String expectedVersion, byte[] value, long ttlMillis) {
        return thenDrop(key, () -> store.replace(key, expectedVersion, value, ttlMillis));
    }

    @Override
    public boolean tryLease(String key, String token, long ttlMillis) {
        return store.tryLease(key, token, ttlMillis);
    }

    @Override
    public void releaseLease(String key, String token) {
        store.releaseLease(key, token);
    }

    @Override
    public RateLimitHit hit(String key, RateLimitRule rule, int cost, boolean consume) {
        return thenDrop(key, () -> store.hit(key, rule, cost, consume));
    }

    @Override
    public List<String> keysAfter(GlobPattern pattern, String after, int limit) {
        return store.keysAfter(pattern, after, limit);
    }

    @Override
    public void putAll(Map<String, byte[]> entries, long ttlMillis) {
        try {
            store.putAll(entries, ttlMillis);
        } finally {
            entries.keySet().forEach(near::drop);
        }
    }

    @Override
    public long removeAll(List<String> keys) {
        try {
            return store.removeAll(keys);
        } finally {
            keys.forEach(near::drop);
        }
    }

    /** Runs a write of {@code key}, then drops this instance's copy of it, whether the write succeeded or not. */
    private <T> T thenDrop(String key, Supplier<T> write) {
        try {
            return write.get();
        } finally {
            near.drop(key);
        }
    }

    /** The near cache's counts, for tests and the console. */
    NearCache nearCache() {
        return near;
    }

    @Override
    public void close() {
        client.removeConnectionListener(epochs);
        subscription.close();
        store.close();
    }
}
