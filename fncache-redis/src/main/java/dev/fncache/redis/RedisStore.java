package dev.fncache.redis;

import dev.fncache.spi.CacheStore;
import dev.fncache.spi.CacheUrl;
import dev.fncache.support.CounterValue;
import dev.fncache.support.EntryVersion;
import dev.fncache.spi.GlobPattern;
import dev.fncache.spi.LiveValue;
import dev.fncache.RateLimitRule;
import dev.fncache.spi.RateLimitHit;
import dev.fncache.support.RateLimitStates;
import dev.fncache.support.SlidingWindowLog;
import dev.fncache.spi.StoredEntry;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One namespace in Redis, laid out by {@link RedisKeyLayout}. Every operation is one round trip:
 * a plain command for reads, and for every mutation one call of fncache's Redis function library
 * ({@link RedisFunction}), which changes a key's value and its index member atomically. Expiry is
 * Redis's own, so it is exact on the server's clock and needs no sweeping of values; only the
 * key index is pruned, by {@code keys()} as it reads ({@link KeyIndexWalk}) and by {@link IndexSweeper}.
 */
final class RedisStore implements CacheStore {
    private final CacheUrl url;
    private final SharedRedisConnection connection;
    private final RedisKeyLayout layout;
    private final KeyIndexWalk index;
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisStore(CacheUrl url, SharedRedisConnection connection, String namespace) {
        this.url = url;
        this.connection = connection;
        this.layout = new RedisKeyLayout(namespace);
        this.index = new KeyIndexWalk(connection, layout);
    }

    @Override
    public byte[] get(String key) {
        byte[] valueKey = layout.valueKey(key);
        return connection.call("get", redis -> redis.get(valueKey));
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        byte[][] valueKeys = new byte[keys.size()][];
        for (int i = 0; i < valueKeys.length; i++) {
            valueKeys[i] = layout.valueKey(keys.get(i));
        }
        List<KeyValue<byte[], byte[]>> replies = connection.call("getMany", redis -> redis.mget(valueKeys));
        return new AbstractList<>() {
            @Override
            public byte[] get(int index) {
                return replies.get(index).getValueOrElse(null);
            }

            @Override
            public int size() {
                return replies.size();
            }
        };
    }

    @Override
    public boolean contains(String key) {
        byte[] valueKey = layout.valueKey(key);
        return connection.call("has", redis -> redis.exists(valueKey)) == 1;
    }

    @Override
    public void put(String key, byte[] value, long ttlMillis) {
        connection.fcall("set", RedisFunction.SET, ScriptOutputType.INTEGER, keysOf(key),
                RedisKeyLayout.member(key), value, number(storedPx(ttlMillis)));
    }

    /** A replace that expects no version: stores only when the key is absent. */
    @Override
    public boolean putIfAbsent(String key, byte[] value, long ttlMillis) {
        return replace("setIfAbsent", key, "", value, ttlMillis);
    }

    @Override
    public boolean remove(String key) {
        long deleted = connection.fcall("delete", RedisFunction.DELETE, ScriptOutputType.INTEGER, keysOf(key),
                RedisKeyLayout.member(key));
        return deleted == 1;
    }

    @Override
    public StoredEntry getEntry(String key) {
        List<Object> entry = connection.fcall("getEntry", RedisFunction.GET_ENTRY, ScriptOutputType.MULTI,
                new byte[][] {layout.valueKey(key), layout.versionKey(key)}, text(EntryVersion.next()));
        if (entry == null || entry.size() < 3) {
            return null; // absent: a nil reply, which Lettuce's multi-bulk output holds as [null]
        }
        return new StoredEntry((byte[]) entry.get(0), (Long) entry.get(1),
                new String((byte[]) entry.get(2), StandardCharsets.UTF_8));
    }

    /**
     * GET and PTTL pipelined: one round trip and two plain reads, where {@link #getEntry} runs a
     * function that may also write the key's version. A PTTL that finds the key gone (it expired
     * or was deleted just after the GET) answers the value read with 1 ms left.
     */
    @Override
    public LiveValue getLive(String key) {
        byte[] valueKey = layout.valueKey(key);
        List<Object> replies = connection.pipelined("getOrSet", redis -> List.of(redis.get(valueKey),
                redis.pttl(valueKey)));
        byte[] value = (byte[]) replies.get(0);
        if (value == null) {
            return null;
        }
        long pttl = (Long) replies.get(1);
        return new LiveValue(value, pttl >= 0 ? pttl + 1 : 1);
    }

    @Override
    public boolean replace(String key, String expectedVersion, byte[] value, long ttlMillis) {
        return replace("replace", key, expectedVersion == null ? "" : expectedVersion, value, ttlMillis);
    }

    /** One call of the library's replace; {@code expectedVersion} "" means "only when absent". */
    private boolean replace(String operation, String key, String expectedVersion, byte[] value, long ttlMillis) {
        long stored = connection.fcall(operation, RedisFunction.REPLACE, ScriptOutputType.INTEGER, keysOf(key),
                RedisKeyLayout.member(key), value, number(storedPx(ttlMillis)), text(expectedVersion));
        return stored == 1;
    }

    @Override
    public boolean tryLease(String key, String token, long ttlMillis) {
        byte[] lease = layout.leaseKey(key);
        return "OK".equals(connection.call("getOrSet", redis -> redis.set(lease, text(token),
                SetArgs.Builder.nx().px(ttlMillis))));
    }

    @Override
    public void releaseLease(String key, String token) {
        connection.fcall("getOrSet", RedisFunction.RELEASE_LEASE, ScriptOutputType.INTEGER,
                new byte[][] {layout.leaseKey(key)}, text(token));
    }

    @Override
    public RateLimitHit hit(String key, RateLimitRule rule, int cost, boolean consume) {
        byte[] member = RedisKeyLayout.member(key);
        byte[] consumes = number(consume ? 1 : 0);
        long period = rule.period().toMillis();
        List<Long> hit = switch (rule.algorithm()) {
            case SLIDING_WINDOW -> connection.fcall("rateLimit", RedisFunction.HIT, ScriptOutputType.MULTI,
                    error -> notALog(key, error), keysOf(key), member, number(rule.limit()), number(period),
                    number(cost), consumes);
            case FIXED_WINDOW -> connection.fcall("rateLimit", RedisFunction.FIXED_WINDOW, ScriptOutputType.MULTI,
                    error -> notALog(key, error), keysOf(key), member, number(rule.limit()), number(period),
                    number(cost), consumes);
            case TOKEN_BUCKET -> connection.fcall("rateLimit", RedisFunction.TOKEN_BUCKET, ScriptOutputType.MULTI,
                    error -> notALog(key, error), keysOf(key), member, number(rule.limit()), number(rule.refillTokens()),
                    number(period), number(cost), consumes);
        };
        return new RateLimitHit(hit.get(0) == 1, hit.get(1), hit.get(2));
    }

    private RuntimeException notALog(String key, RedisCommandExecutionException error) {
        return switch (RedisFailures.refusal(error)) {
            case NOT_A_LOG -> SlidingWindowLog.notALog(key);
            case NOT_A_STATE -> RateLimitStates.notAState(key);
            default -> null;
        };
    }

    @Override
    public long remainingMillis(String key) {
        byte[] valueKey = layout.valueKey(key);
        long storedPttl = connection.call("ttl", redis -> redis.pttl(valueKey));
        if (storedPttl == -2) {
            return ABSENT;
        }
        return storedPttl == -1 ? Long.MAX_VALUE : storedPttl + 1;
    }

    @Override
    public long extend(String key, long addMillis, long maxRemainingMillis) {
        long result = connection.fcall("extend", RedisFunction.EXTEND, ScriptOutputType.INTEGER,
                new byte[][] {layout.valueKey(key), layout.versionKey(key)}, number(addMillis), number(maxRemainingMillis));
        return result == -1 ? ABSENT : result == -2 ? LIMIT_EXCEEDED : result;
    }

    @Override
    public long increment(String key, long delta, long ttlMillis) {
        byte[] sum = connection.fcall("increment", RedisFunction.INCREMENT, ScriptOutputType.VALUE,
                error -> counterError(key, delta, error), keysOf(key),
                number(delta), number(storedPx(ttlMillis)), RedisKeyLayout.member(key));
        return CounterValue.decode(key, sum);
    }

    @Override
    public List<String> keysAfter(GlobPattern pattern, String after, int limit) {
        return index.keysAfter(pattern, after, limit);
    }

    @Override
    public void putAll(Map<String, byte[]> entries, long ttlMillis) {
        byte[][] keys = new byte[1 + 2 * entries.size()][];
        byte[][] args = new byte[1 + 2 * entries.size()][];
        keys[0] = layout.index();
        args[0] = number(storedPx(ttlMillis));
        int i = 1;
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            keys[i] = layout.valueKey(entry.getKey());
            keys[i + 1] = layout.versionKey(entry.getKey());
            args[i] = RedisKeyLayout.member(entry.getKey());
            args[i + 1] = entry.getValue();
            i += 2;
        }
        connection.fcall("setMany", RedisFunction.SET_MANY, ScriptOutputType.INTEGER, keys, args);
    }

    @Override
    public long removeAll(List<String> keys) {
        byte[][] names = new byte[1 + 2 * keys.size()][];
        byte[][] members = new byte[keys.size()][];
        names[0] = layout.index();
        for (int i = 0; i < keys.size(); i++) {
            names[1 + 2 * i] = layout.valueKey(keys.get(i));
            names[2 + 2 * i] = layout.versionKey(keys.get(i));
            members[i] = RedisKeyLayout.member(keys.get(i));
        }
        Long removed = connection.fcall("deleteMany", RedisFunction.DELETE_MANY, ScriptOutputType.INTEGER, names, members);
        return removed;
    }

    /** The namespace's key index, as the sweeper walks it. */
    KeyIndexWalk index() {
        return index;
    }

    RedisKeyLayout layout() {
        return layout;
    }

    CacheUrl url() {
        return url;
    }

    SharedRedisConnection connection() {
        return connection;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            RedisConnections.release(this);
        }
    }

    private RuntimeException counterError(String key, long delta, RedisCommandExecutionException error) {
        RedisFailures.Refusal refusal = RedisFailures.refusal(error);
        if (refusal != RedisFailures.Refusal.NOT_AN_INTEGER && refusal != RedisFailures.Refusal.OVERFLOW) {
            return null;
        }
        byte[] stored = get(key);
        if (stored == null) {
            return null;
        }
        if (refusal == RedisFailures.Refusal.OVERFLOW) {
            return CounterValue.overflow(key, CounterValue.decode(key, stored), delta);
        }
        return CounterValue.notAnInteger(key, new String(stored, StandardCharsets.UTF_8));
    }

    /** The keys a mutation of {@code key} touches: its value, the index, its version. */
    private byte[][] keysOf(String key) {
        return new byte[][] {layout.valueKey(key), layout.index(), layout.versionKey(key)};
    }

    /** Redis keeps a key while now &lt;= expiry; the contract while now &lt; write + TTL. */
    private static long storedPx(long ttlMillis) {
        return ttlMillis - 1;
    }

    private static byte[] number(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
