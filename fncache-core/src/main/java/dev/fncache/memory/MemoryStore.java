package dev.fncache.memory;

import dev.fncache.spi.CacheStore;
import dev.fncache.spi.GlobPattern;
import dev.fncache.RateLimitRule;
import dev.fncache.spi.RateLimitHit;
import dev.fncache.spi.StoredEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** One cache's view of a memory namespace, reading time from its own clock. */
final class MemoryStore implements CacheStore {
    private final MemoryNamespace entries;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    MemoryStore(MemoryNamespace entries, Clock clock) {
        this.entries = entries;
        this.clock = clock;
        entries.clocks().add(clock);
    }

    @Override
    public byte[] get(String key) {
        return entries.get(key, clock.millis());
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        long now = clock.millis();
        List<byte[]> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            values.add(entries.get(key, now));
        }
        return values;
    }

    @Override
    public boolean contains(String key) {
        return get(key) != null;
    }

    @Override
    public void put(String key, byte[] value, long ttlMillis) {
        entries.put(key, value, clock.millis() + ttlMillis);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, long ttlMillis) {
        long now = clock.millis();
        return entries.replace(key, null, value, now + ttlMillis, now);
    }

    @Override
    public boolean remove(String key) {
        return entries.remove(key, clock.millis());
    }

    @Override
    public long remainingMillis(String key) {
        return entries.remainingMillis(key, clock.millis());
    }

    @Override
    public long extend(String key, long addMillis, long maxRemainingMillis) {
        return entries.extend(key, addMillis, maxRemainingMillis, clock.millis());
    }

    @Override
    public long increment(String key, long delta, long ttlMillis) {
        return entries.increment(key, delta, ttlMillis, clock.millis());
    }

    @Override
    public StoredEntry getEntry(String key) {
        return entries.getEntry(key, clock.millis());
    }

    @Override
    public boolean replace(String key, String expectedVersion, byte[] value, long ttlMillis) {
        long now = clock.millis();
        return entries.replace(key, expectedVersion, value, now + ttlMillis, now);
    }

    @Override
    public boolean tryLease(String key, String token, long ttlMillis) {
        long now = clock.millis();
        return entries.tryLease(key, token, now + ttlMillis, now);
    }

    @Override
    public void releaseLease(String key, String token) {
        entries.releaseLease(key, token);
    }

    @Override
    public RateLimitHit hit(String key, RateLimitRule rule, int cost, boolean consume) {
        return entries.hit(key, rule, cost, consume, clock.millis());
    }

    @Override
    public List<String> keysAfter(GlobPattern pattern, String after, int limit) {
        return entries.keysAfter(pattern, after, limit, clock.millis());
    }

    @Override
    public void putAll(Map<String, byte[]> values, long ttlMillis) {
        long expiresAt = clock.millis() + ttlMillis;
        values.forEach((key, value) -> entries.put(key, value, expiresAt));
    }

    @Override
    public long removeAll(List<String> keys) {
        long now = clock.millis();
        long removed = 0;
        for (String key : keys) {
            if (entries.remove(key, now)) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            entries.clocks().remove(clock);
        }
    }
}
