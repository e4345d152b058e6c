package dev.fncache.memory;

import dev.fncache.spi.CacheStore;
import dev.fncache.spi.CodePointOrder;
import dev.fncache.support.CounterValue;
import dev.fncache.spi.GlobPattern;
import dev.fncache.support.OpenClocks;
import dev.fncache.RateLimitRule;
import dev.fncache.spi.RateLimitHit;
import dev.fncache.support.RateLimitStates;
import dev.fncache.spi.StoredEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The entries of one namespace in one memory database. A hash map serves point operations; a
 * key index in code point order, the order of the other stores' indexes, serves
 * {@code keys(pattern)} and its pages by prefix range. Every mutation that adds or removes a
 * key runs inside the map's per-key {@code compute}, so the index always agrees with the map; a
 * {@code put} over a key the map holds is a plain {@code replace}, which leaves the index alone.
 */
final class MemoryNamespace {
    private final ConcurrentHashMap<String, ExpiringEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<String> index = new ConcurrentSkipListSet<>(CodePointOrder.COMPARATOR);
    private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
    /** The clocks of the caches open on this namespace: background reclaim follows the earliest. */
    private final OpenClocks clocks = new OpenClocks();
    /** Where the background pass stopped; null at the start of a pass. */
    private String reclaimCursor;

    OpenClocks clocks() {
        return clocks;
    }

    byte[] get(String key, long now) {
        ExpiringEntry entry = entries.get(key);
        return entry != null && entry.isLiveAt(now) ? entry.value() : null;
    }

    void put(String key, byte[] value, long expiresAt) {
        ExpiringEntry fresh = new ExpiringEntry(value, expiresAt);
        if (entries.replace(key, fresh) != null) {
            return;
        }
        entries.compute(key, (k, old) -> {
            if (old == null) {
                index.add(k);
            }
            return fresh;
        });
    }

    boolean remove(String key, long now) {
        boolean[] removedLive = {false};
        entries.computeIfPresent(key, (k, old) -> {
            removedLive[0] = old.isLiveAt(now);
            index.remove(k);
            return null;
        });
        return removedLive[0];
    }

    long remainingMillis(String key, long now) {
        ExpiringEntry entry = entries.get(key);
        return entry != null && entry.isLiveAt(now) ? entry.expiresAtMillis() - now : CacheStore.ABSENT;
    }

    long extend(String key, long addMillis, long maxRemainingMillis, long now) {
        long[] result = {CacheStore.ABSENT};
        entries.computeIfPresent(key, (k, old) -> {
            if (!old.isLiveAt(now)) {
                return old;
            }
            long remaining = old.expiresAtMillis() - now + addMillis;
            if (remaining > maxRemainingMillis) {
                result[0] = CacheStore.LIMIT_EXCEEDED;
                return old;
            }
            result[0] = remaining;
            return old.expiringAt(now + remaining);
        });
        return result[0];
    }

    long increment(String key, long delta, long ttlMillis, long now) {
        long[] result = new long[1];
        entries.compute(key, (k, old) -> {
            if (old == null || !old.isLiveAt(now)) {
                if (old == null) {
                    index.add(k);
                }
                result[0] = delta;
                return new ExpiringEntry(CounterValue.encode(delta), now + ttlMillis);
            }
            long sum = CounterValue.add(k, CounterValue.decode(k, old.value()), delta);
            result[0] = sum;
            return new ExpiringEntry(CounterValue.encode(sum), old.expiresAtMillis());
        });
        return result[0];
    }

    StoredEntry getEntry(String key, long now) {
        ExpiringEntry entry = entries.get(key);
        return entry != null && entry.isLiveAt(now)
                ? new StoredEntry(entry.value(), entry.expiresAtMillis() - now, entry.version()) : null;
    }

    /** Stores the value when the key's version is {@code expectedVersion}, or when absent if that is null. */
    boolean replace(String key, String expectedVersion, byte[] value, long expiresAt, long now) {
        boolean[] stored = {false};
        entries.compute(key, (k, old) -> {
            boolean live = old != null && old.isLiveAt(now);
            boolean matches = expectedVersion == null ? !live : live && old.version().equals(expectedVersion);
            if (!matches) {
                return old;
            }
            if (old == null) {
                index.add(k);
            }
            stored[0] = true;
            return new ExpiringEntry(value, expiresAt);
        });
        return stored[0];
    }

    boolean tryLease(String key, String token, long expiresAt, long now) {
        Lease mine = new Lease(token, expiresAt);
        return leases.compute(key, (k, held) -> held != null && held.expiresAtMillis > now ? held : mine) == mine;
    }

    void releaseLease(String key, String token) {
        leases.computeIfPresent(key, (k, held) -> held.token.equals(token) ? null : held);
    }

    RateLimitHit hit(String key, RateLimitRule rule, int cost, boolean consume, long now) {
        RateLimitStates.Step[] result = new RateLimitStates.Step[1];
        entries.compute(key, (k, old) -> {
            boolean live = old != null && old.isLiveAt(now);
            RateLimitStates.Step step;
            if (live && old instanceof ExpiringLog log) {
                step = RateLimitStates.apply(k, log.buffer(), log.length(), rule, cost, consume, now, true);
            } else {
                byte[] stored = live ? old.value() : null;
                step = RateLimitStates.apply(k, stored, stored == null ? 0 : stored.length, rule, cost, consume, now,
                        true);
            }
            result[0] = step;
            if (step.value() == null) {
                return old;
            }
            if (old == null) {
                index.add(k);
            }
            return new ExpiringLog(step.value(), step.valueLength(), now + step.ttlMillis());
        });
        return result[0].outcome();
    }

    List<String> keysAfter(GlobPattern pattern, String after, int limit, long now) {
        List<String> matching = new ArrayList<>();
        String prefix = pattern.literalPrefix();
        NavigableSet<String> from = after != null && CodePointOrder.compare(after, prefix) >= 0
                ? index.tailSet(after, false) : index.tailSet(prefix, true);
        for (String key : from) {
            if (!key.startsWith(prefix) || matching.size() == limit) {
                break;
            }
            ExpiringEntry entry = entries.get(key);
            if (entry != null && entry.isLiveAt(now) && pattern.matches(key)) {
                matching.add(key);
            }
        }
        return matching;
    }

    /**
     * Continues the background pass over the key index: checks up to {@code budget} keys after
     * the one the previous call stopped at, removing those expired at {@code now}, and wraps
     * around at the end. Returns how many it removed. Called by the single reclaimer thread only.
     */
    int reclaimExpired(long now, int budget) {
        int removed = 0;
        Iterator<String> keys = (reclaimCursor == null ? index : index.tailSet(reclaimCursor, false)).iterator();
        for (int checked = 0; checked < budget; checked++) {
            if (!keys.hasNext()) {
                reclaimCursor = null;
                return removed;
            }
            String key = keys.next();
            reclaimCursor = key;
            ExpiringEntry entry = entries.get(key);
            if (entry != null && !entry.isLiveAt(now) && removeIfExpired(key, now)) {
                removed++;
            }
        }
        return removed;
    }

    private boolean removeIfExpired(String key, long now) {
        boolean[] removed = {false};
        entries.computeIfPresent(key, (k, current) -> {
            if (current.isLiveAt(now)) {
                return current;
            }
            index.remove(k);
            removed[0] = true;
            return null;
        });
        return removed[0];
    }

    /**
     * Keys on which the map and the sorted index disagree (in one but not the other), each
     * checked inside the map's per-key {@code compute} so a concurrent writer cannot fake one.
     */
    List<String> indexDisagreements() {
        List<String> disagreeing = new ArrayList<>();
        java.util.Set<String> candidates = new java.util.TreeSet<>(CodePointOrder.COMPARATOR);
        candidates.addAll(entries.keySet());
        candidates.addAll(index);
        for (String key : candidates) {
            entries.compute(key, (k, entry) -> {
                if ((entry != null) != index.contains(k)) {
                    disagreeing.add(k);
                }
                return entry;
            });
        }
        return disagreeing;
    }

    /** Removes the leases that expired by {@code now}; called by the reclaimer. */
    void reclaimExpiredLeases(long now) {
        leases.values().removeIf(lease -> lease.expiresAtMillis <= now);
    }

    private record Lease(String token, long expiresAtMillis) {
    }

    /** Entries held, live or not yet reclaimed. */
    int size() {
        return entries.size();
    }

    /** Keys in the sorted index; always equal to {@link #size()} once writers are done. */
    int indexSize() {
        return index.size();
    }
}
