package dev.fncache;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.fncache.CacheStatsRecorder.Operation;
import dev.fncache.CacheStatsRecorder.Outcome;
import dev.fncache.internal.Arguments;
import dev.fncache.internal.ImmutableTypes;
import dev.fncache.internal.JsonCodec;
import dev.fncache.internal.KeyCursor;
import dev.fncache.internal.SingleFlight;
import dev.fncache.spi.CacheStore;
import dev.fncache.spi.CacheUrl;
import dev.fncache.spi.CodePointOrder;
import dev.fncache.support.EntryVersion;
import dev.fncache.spi.GlobPattern;
import dev.fncache.spi.RateLimitHit;
import dev.fncache.support.MessageText;
import dev.fncache.spi.StoredEntry;
import dev.fncache.spi.ValueReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of {@link FunctionCache}: it validates arguments, encodes and decodes
 * JSON, shares {@code getOrSet} loads and tells its {@link CacheStatsRecorder} what each call did,
 * and leaves storage to a backend's {@link CacheStore}.
 */
final class StoreBackedCache implements FunctionCache {
    private static final Logger LOG = LoggerFactory.getLogger(StoreBackedCache.class);
    static final int UPDATE_ATTEMPTS = 100;
    static final int MAX_PAGE = 10_000;
    static final int MAX_BATCH = 10_000;
    /** The most a setMany may hold in all: its keys' UTF-8 bytes plus its values' JSON bytes. */
    static final long MAX_BATCH_BYTES = 32L << 20;
    /** A bulk write goes to the store in chunks of at most this many entries... */
    static final int CHUNK_ENTRIES = 1_000;
    /** ...and at most this many bytes (a single larger entry is a chunk of its own). */
    static final long CHUNK_BYTES = 1L << 20;
    static final int DELETE_ALL_PAGE = 1_000;

    private final CacheStore store;
    private final CacheUrl url;
    private final String namespace;
    private final int maxValueBytes;
    private final long loadTimeoutMillis;
    private final CacheStatsRecorder stats;
    private final PolicyLoads policyLoads;
    private final BatchLoads batchLoads;
    private final AtomicBoolean closed = new AtomicBoolean();

    StoreBackedCache(CacheStore store, CacheUrl url, String namespace, int maxValueBytes, Duration loadTimeout,
            CacheStatsRecorder stats, java.time.Clock clock) {
        this.store = store;
        this.url = url;
        this.namespace = namespace;
        this.maxValueBytes = maxValueBytes;
        this.loadTimeoutMillis = loadTimeout.toMillis();
        this.stats = stats;
        this.policyLoads = new PolicyLoads(store, clock, stats, "policy\u0000" + url + "\u0000" + namespace + "\u0000",
                loadTimeoutMillis, this::encode);
        this.batchLoads = new BatchLoads(store, clock, stats, loadTimeoutMillis, policyLoads, this::storeMany);
    }

    /*
     * Each operation records itself: started() before anything else, then on return the counts it
     * caused and succeeded(...), or failed(...) when it throws. The disabled recorder makes all of
     * it a few no-op calls.
     */

    private static final long NOT_TIMED = -1;

    private long started() {
        return stats.timesNextOperation() ? System.nanoTime() : NOT_TIMED;
    }

    private void succeeded(Operation operation, long started) {
        stats.recordOperation(operation, Outcome.OK, elapsed(started));
    }

    private void failed(Operation operation, long started, Throwable failure) {
        stats.recordOperation(operation, outcomeOf(failure), elapsed(started));
    }

    private static long elapsed(long started) {
        return started == NOT_TIMED ? NOT_TIMED : Math.max(0, System.nanoTime() - started);
    }

    private static Outcome outcomeOf(Throwable failure) {
        if (failure instanceof CacheUnavailableException) {
            return Outcome.UNAVAILABLE;
        }
        if (failure instanceof IllegalArgumentException || failure instanceof CacheSerializationException) {
            return Outcome.INVALID;
        }
        return Outcome.FAILED;
    }

    private <T> T read(Operation operation, long started, T value) {
        stats.recordGets(value != null ? 1 : 0, value != null ? 0 : 1);
        succeeded(operation, started);
        return value;
    }

    private boolean wrote(Operation operation, long started, boolean stored) {
        if (stored) {
            stats.recordPuts(1);
        }
        succeeded(operation, started);
        return stored;
    }

    private long removed(Operation operation, long started, long count) {
        if (count > 0) {
            stats.recordRemovals(count);
        }
        succeeded(operation, started);
        return count;
    }

    @Override
    public void set(String key, Object value, Duration ttl) {
        long started = started();
        try {
            ensureOpen();
            Arguments.key(key);
            long ttlMillis = Arguments.ttl(ttl);
            policyLoads.forget(key);
            store.put(key, encode(key, value), ttlMillis);
            wrote(Operation.SET, started, true);
        } catch (RuntimeException | Error e) {
            failed(Operation.SET, started, e);
            throw e;
        }
    }

    @Override
    public <T> T get(String key, TypeRef<T> type) {
        long started = started();
        try {
            return read(Operation.GET, started, get(key, JsonCodec.type(Arguments.notNull("type", type).type())));
        } catch (RuntimeException | Error e) {
            failed(Operation.GET, started, e);
            throw e;
        }
    }

    private <T> T get(String key, JavaType type) {
        ensureOpen();
        Arguments.key(key);
        boolean shareable = ImmutableTypes.deeplyImmutable(type);
        return store.get(key, new ValueReader<T>() {
            @Override
            public java.lang.reflect.Type type() {
                return type;
            }

            @Override
            public boolean shareable() {
                return shareable;
            }

            @Override
            public T read(byte[] json) {
                return JsonCodec.decode(key, json, type);
            }
        });
    }

    @Override
    public boolean has(String key) {
        long started = started();
        try {
            ensureOpen();
            boolean live = store.contains(Arguments.key(key));
            succeeded(Operation.HAS, started);
            return live;
        } catch (RuntimeException | Error e) {
            failed(Operation.HAS, started, e);
            throw e;
        }
    }

    @Override
    public boolean delete(String key) {
        long started = started();
        try {
            ensureOpen();
            policyLoads.forget(Arguments.key(key));
            return removed(Operation.DELETE, started, store.remove(key) ? 1 : 0) == 1;
        } catch (RuntimeException | Error e) {
            failed(Operation.DELETE, started, e);
            throw e;
        }
    }

    @Override
    public boolean extend(String key, Duration duration) {
        long started = started();
        try {
            ensureOpen();
            Arguments.key(key);
            boolean extended = extend(key, Arguments.ttl("duration", duration), "duration", duration);
            succeeded(Operation.EXTEND, started);
            return extended;
        } catch (RuntimeException | Error e) {
            failed(Operation.EXTEND, started, e);
            throw e;
        }
    }

    private boolean extend(String key, long addMillis, String name, Object given) {
        long remaining = store.extend(key, addMillis, Arguments.MAX_TTL_MILLIS);
        if (remaining == CacheStore.LIMIT_EXCEEDED) {
            throw new IllegalArgumentException(name + " plus the remaining lifetime of key " + MessageText.quoted(key)
                    + " must not pass " + Arguments.MAX_TTL_SECONDS + " seconds (10 years), but " + name + " was " + given
                    + (given instanceof Duration duration ? " (" + duration.toSeconds() + " s)" : ""));
        }
        return remaining != CacheStore.ABSENT;
    }

    @Override
    public KeyPage keys(String pattern, int limit, String cursor) {
        long started = started();
        try {
            KeyPage page = page(pattern, limit, cursor);
            succeeded(Operation.KEYS, started);
            return page;
        } catch (RuntimeException | Error e) {
            failed(Operation.KEYS, started, e);
            throw e;
        }
    }

    private KeyPage page(String pattern, int limit, String cursor) {
        ensureOpen();
        GlobPattern glob = GlobPattern.compile(pattern);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", but was " + limit);
        }
        List<String> found = keysAfter(glob, KeyCursor.position(cursor), limit + 1);
        if (found.size() <= limit) {
            return new KeyPage(found, null);
        }
        List<String> page = found.subList(0, limit);
        return new KeyPage(page, KeyCursor.after(page.get(limit - 1)));
    }

    /** A literal pattern is one key, answered by {@code contains} here; any other walks the store's index. */
    private List<String> keysAfter(GlobPattern glob, String after, int limit) {
        if (!glob.isLiteral()) {
            return store.keysAfter(glob, after, limit);
        }
        String key = glob.literalPrefix();
        boolean inPage = after == null || CodePointOrder.compare(key, after) > 0;
        return inPage && store.contains(key) ? List.of(key) : List.of();
    }

    @Override
    public long deleteAll(String pattern) {
        long started = started();
        try {
            return removed(Operation.DELETE_ALL, started, removeMatching(pattern));
        } catch (RuntimeException | Error e) {
            failed(Operation.DELETE_ALL, started, e);
            throw e;
        }
    }

    private long removeMatching(String pattern) {
        ensureOpen();
        GlobPattern glob = GlobPattern.compile(pattern);
        policyLoads.forgetMatching(glob);
        long removed = 0;
        String after = null;
        while (true) {
            List<String> page;
            try {
                page = keysAfter(glob, after, DELETE_ALL_PAGE);
                if (!page.isEmpty()) {
                    removed += store.removeAll(page);
                }
            } catch (CacheUnavailableException e) {
                throw after == null ? e : new CacheUnavailableException("deleteAll removed " + removed
                        + " live keys in its earlier pages before it failed: " + e.getMessage(), e, true);
            }
            if (page.size() < DELETE_ALL_PAGE) {
                return removed;
            }
            after = page.get(page.size() - 1);
        }
    }

    @Override
    public void setMany(Map<String, ?> entries, Duration ttl) {
        long started = started();
        try {
            ensureOpen();
            storeMany(entries, Arguments.ttl(ttl));
            stats.recordPuts(entries.size());
            succeeded(Operation.SET_MANY, started);
        } catch (RuntimeException | Error e) {
            failed(Operation.SET_MANY, started, e);
            throw e;
        }
    }

    /**
     * Checks and encodes every entry first, then writes them in chunks, each atomic in the store,
     * so one large call holds Redis or SQLite's writer no longer than about one 1 MiB write at a
     * time and other namespaces' calls interleave between chunks.
     */
    private void storeMany(Map<String, ?> entries, long ttlMillis) {
        Arguments.notNull("entries", entries);
        batchSize("entries", entries.size());
        List<Map<String, byte[]>> chunks = new ArrayList<>();
        Map<String, byte[]> chunk = new LinkedHashMap<>();
        long chunkBytes = 0;
        long bytes = 0;
        int index = 0;
        for (Map.Entry<String, ?> entry : entries.entrySet()) {
            String key = Arguments.key("entries key", index++, entry.getKey());
            byte[] json = encode(key, entry.getValue());
            long size = Arguments.utf8Length(key) + json.length;
            if (!chunk.isEmpty() && (chunk.size() == CHUNK_ENTRIES || chunkBytes + size > CHUNK_BYTES)) {
                chunks.add(chunk);
                chunk = new LinkedHashMap<>();
                chunkBytes = 0;
            }
            chunk.put(key, json);
            chunkBytes += size;
            bytes += size;
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("entries must hold at most " + MAX_BATCH_BYTES + " bytes of keys and JSON "
                    + "values in all, but held " + bytes + " bytes; nothing was stored (split the call)");
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        int written = 0;
        for (Map<String, byte[]> next : chunks) {
            written += putChunk(next, ttlMillis, written, index);
        }
    }

    private int putChunk(Map<String, byte[]> chunk, long ttlMillis, int written, int total) {
        try {
            policyLoads.forget(chunk.keySet());
            store.putAll(chunk, ttlMillis);
        } catch (CacheUnavailableException e) {
            throw written == 0 ? e : new CacheUnavailableException("setMany stored " + written + " of " + total
                    + " entries before it failed: " + e.getMessage(), e, true);
        }
        return chunk.size();
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        long started = started();
        try {
            return removed(Operation.DELETE_MANY, started, removeAll(keys));
        } catch (RuntimeException | Error e) {
            failed(Operation.DELETE_MANY, started, e);
            throw e;
        }
    }

    private long removeAll(Collection<String> keys) {
        ensureOpen();
        Arguments.notNull("keys", keys);
        batchSize("keys", keys.size());
        LinkedHashSet<String> distinct = new LinkedHashSet<>(2 * keys.size());
        int index = 0;
        for (String key : keys) {
            distinct.add(Arguments.key("keys", index++, key));
        }
        List<String> all = new ArrayList<>(distinct);
        long removed = 0;
        for (int from = 0; from < all.size(); from += CHUNK_ENTRIES) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK_ENTRIES));
            try {
                policyLoads.forget(chunk);
                removed += store.removeAll(chunk);
            } catch (CacheUnavailableException e) {
                throw from == 0 ? e : new CacheUnavailableException("deleteMany removed " + removed + " live keys of the first "
                        + from + " before it failed: " + e.getMessage(), e, true);
            }
        }
        return removed;
    }

    /** The checked keys, duplicates dropped, in the order first asked: at most {@link #MAX_BATCH}. */
    private static List<String> distinctKeys(Collection<String> keys) {
        Arguments.notNull("keys", keys);
        batchSize("keys", keys.size());
        List<String> asked = new ArrayList<>(keys.size());
        HashSet<String> seen = new HashSet<>(2 * keys.size());
        int index = 0;
        for (String key : keys) {
            if (seen.add(Arguments.key("keys", index++, key))) {
                asked.add(key);
            }
        }
        return asked;
    }

    private static void batchSize(String name, int size) {
        if (size > MAX_BATCH) {
            throw new IllegalArgumentException(name + " must hold at most " + MAX_BATCH + " keys, but held " + size);
        }
    }

    @Override
    public <T> Map<String, T> getMany(Collection<String> keys, TypeRef<T> type) {
        long started = started();
        try {
            Map<String, T> found = getMany(keys, JsonCodec.type(Arguments.notNull("type", type).type()));
            succeeded(Operation.GET_MANY, started);
            return found;
        } catch (RuntimeException | Error e) {
            failed(Operation.GET_MANY, started, e);
            throw e;
        }
    }

    private <T> Map<String, T> getMany(Collection<String> keys, JavaType type) {
        ensureOpen();
        List<String> asked = distinctKeys(keys);
        if (asked.isEmpty()) {
            return Collections.emptyMap();
        }
        List<byte[]> values = store.getAll(asked);
        ObjectReader reader = JsonCodec.readerFor(type);
        Map<String, T> result = new LinkedHashMap<>(2 * asked.size());
        for (int i = 0; i < asked.size(); i++) {
            byte[] json = values.get(i);
            if (json != null) {
                result.put(asked.get(i), JsonCodec.decode(asked.get(i), json, reader, type));
            }
        }
        stats.recordGets(result.size(), asked.size() - result.size());
        return Collections.unmodifiableMap(result);
    }

    @Override
    public long increment(String key, long delta, Duration ttl) {
        long started = started();
        try {
            ensureOpen();
            Arguments.key(key);
            policyLoads.forget(key);
            long value = store.increment(key, delta, Arguments.ttl(ttl));
            wrote(Operation.INCREMENT, started, true);
            return value;
        } catch (RuntimeException | Error e) {
            failed(Operation.INCREMENT, started, e);
            throw e;
        }
    }

    @Override
    public boolean setIfAbsent(String key, Object value, Duration ttl) {
        long started = started();
        try {
            ensureOpen();
            Arguments.key(key);
            long ttlMillis = Arguments.ttl(ttl);
            policyLoads.forget(key);
            return wrote(Operation.SET_IF_ABSENT, started, store.putIfAbsent(key, encode(key, value), ttlMillis));
        } catch (RuntimeException | Error e) {
            failed(Operation.SET_IF_ABSENT, started, e);
            throw e;
        }
    }

    @Override
    public <T> CacheEntry<T> getEntry(String key, TypeRef<T> type) {
        long started = started();
        try {
            return read(Operation.GET_ENTRY, started, getEntry(key, JsonCodec.type(Arguments.notNull("type", type).type())));
        } catch (RuntimeException | Error e) {
            failed(Operation.GET_ENTRY, started, e);
            throw e;
        }
    }

    private <T> CacheEntry<T> getEntry(String key, JavaType type) {
        ensureOpen();
        Arguments.key(key);
        StoredEntry entry = store.getEntry(key);
        if (entry == null) {
            return null;
        }
        T value = JsonCodec.decode(key, entry.value(), type);
        return new CacheEntry<>(value, Duration.ofMillis(entry.remainingMillis()), entry.version());
    }

    @Override
    public boolean replace(String key, String expectedVersion, Object value, Duration ttl) {
        long started = started();
        try {
            ensureOpen();
            Arguments.key(key);
            long ttlMillis = Arguments.ttl(ttl);
            policyLoads.forget(key);
            return wrote(Operation.REPLACE, started, store.replace(key, expectedVersion, encode(key, value), ttlMillis));
        } catch (RuntimeException | Error e) {
            failed(Operation.REPLACE, started, e);
            throw e;
        }
    }

    @Override
    public <T> T update(String key, TypeRef<T> type, Duration ttl, UnaryOperator<T> fn) {
        long started = started();
        try {
            ensureOpen();
            Arguments.key(key);
            T stored = update(key, JsonCodec.type(Arguments.notNull("type", type).type()), Arguments.ttl(ttl),
                    Arguments.notNull("fn", fn));
            wrote(Operation.UPDATE, started, stored != null);
            return stored;
        } catch (RuntimeException | Error e) {
            failed(Operation.UPDATE, started, e);
            throw e;
        }
    }

    private <T> T update(String key, JavaType type, long ttlMillis, UnaryOperator<T> fn) {
        for (int attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
            StoredEntry entry = store.getEntry(key);
            T current = entry == null ? null : JsonCodec.decode(key, entry.value(), type);
            T next = fn.apply(current);
            if (next == null) {
                return null;
            }
            policyLoads.forget(key);
            if (store.replace(key, entry == null ? null : entry.version(), encode(key, next), ttlMillis)) {
                return next;
            }
            LoadLeases.pause(ThreadLocalRandom.current().nextLong(1, 1L + Math.min(50, 1L << Math.min(attempt, 6))));
        }
        throw new CacheConflictException("update of key " + MessageText.quoted(key) + " gave up after " + UPDATE_ATTEMPTS
                + " attempts: another writer changed the key between every read and write; nothing was stored");
    }

    @Override
    public RateLimit rateLimit(String key, RateLimitRule rule, int cost) {
        long started = started();
        try {
            RateLimit result = hit(key, rule, cost, true);
            if (result == UNAVAILABLE_ALLOWED || result == UNAVAILABLE_DENIED) {
                stats.recordOperation(Operation.RATE_LIMIT, Outcome.UNAVAILABLE, elapsed(started));
                return result;
            }
            wrote(Operation.RATE_LIMIT, started, result.allowed());
            return result;
        } catch (RuntimeException | Error e) {
            failed(Operation.RATE_LIMIT, started, e);
            throw e;
        }
    }

    @Override
    public RateLimit peekRateLimit(String key, RateLimitRule rule) {
        long started = started();
        try {
            RateLimit result = hit(key, rule, 1, false);
            stats.recordOperation(Operation.PEEK_RATE_LIMIT, result == UNAVAILABLE_ALLOWED || result == UNAVAILABLE_DENIED
                    ? Outcome.UNAVAILABLE : Outcome.OK, elapsed(started));
            return result;
        } catch (RuntimeException | Error e) {
            failed(Operation.PEEK_RATE_LIMIT, started, e);
            throw e;
        }
    }

    /** The answers of a rule whose store is unavailable (told apart by identity, to record them as such). */
    private static final RateLimit UNAVAILABLE_ALLOWED = new RateLimit(true, 0, Duration.ZERO);
    private static final RateLimit UNAVAILABLE_DENIED = new RateLimit(false, 0, Duration.ZERO);

    private RateLimit hit(String key, RateLimitRule rule, int cost, boolean consume) {
        ensureOpen();
        Arguments.key(key);
        Arguments.notNull("rule", rule);
        if (cost < 1 || cost > rule.limit()) {
            throw new IllegalArgumentException("cost must be between 1 and the rule's limit " + rule.limit()
                    + ", but was " + cost);
        }
        RateLimitHit hit;
        try {
            hit = store.hit(key, rule, cost, consume);
        } catch (CacheUnavailableException e) {
            if (rule.whenUnavailable() == RateLimitRule.WhenUnavailable.THROW) {
                throw e;
            }
            boolean allowed = rule.whenUnavailable() == RateLimitRule.WhenUnavailable.ALLOW;
            stats.recordRateLimitUnavailable(allowed);
            LOG.debug("rateLimit of key {} answers {} because the store is unavailable", MessageText.quoted(key),
                    allowed ? "allowed" : "denied", e);
            return allowed ? UNAVAILABLE_ALLOWED : UNAVAILABLE_DENIED;
        }
        return new RateLimit(hit.allowed(), hit.remaining(), Duration.ofMillis(hit.retryAfterMillis()));
    }

    @Override
    public Duration ttl(String key) {
        long started = started();
        try {
            ensureOpen();
            long remaining = store.remainingMillis(Arguments.key(key));
            succeeded(Operation.TTL, started);
            return remaining == CacheStore.ABSENT ? null : Duration.ofMillis(remaining);
        } catch (RuntimeException | Error e) {
            failed(Operation.TTL, started, e);
            throw e;
        }
    }

    @Override
    public <T> T getOrSet(String key, TypeRef<T> type, LoadPolicy policy, Supplier<? extends T> loader) {
        long started = started();
        try {
            ensureOpen();
            Arguments.key(key);
            JavaType javaType = JsonCodec.type(Arguments.notNull("type", type).type());
            Arguments.notNull("policy", policy).checked();
            Arguments.notNull("loader", loader);
            T value = policy.isPlain() ? getOrSet(key, javaType, policy.ttl().toMillis(), loader)
                    : policyLoads.getOrSet(key, javaType, policy, loader);
            succeeded(Operation.GET_OR_SET, started);
            return value;
        } catch (RuntimeException | Error e) {
            failed(Operation.GET_OR_SET, started, e);
            throw e;
        }
    }

    @Override
    public <T> Map<String, T> getOrSetMany(Collection<String> keys, TypeRef<T> type, LoadPolicy policy,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader) {
        long started = started();
        try {
            ensureOpen();
            List<String> asked = distinctKeys(keys);
            JavaType javaType = JsonCodec.type(Arguments.notNull("type", type).type());
            Arguments.notNull("policy", policy).checked();
            if (policy.refreshAhead() > 0) {
                throw new IllegalArgumentException("policy must not refresh ahead for getOrSetMany (it reads many keys "
                        + "without their remaining lifetimes), but was " + policy + "; use getOrSet per key for that");
            }
            Arguments.notNull("loader", loader);
            Map<String, T> found = asked.isEmpty() ? Collections.emptyMap()
                    : batchLoads.getOrSetMany(asked, javaType, policy, loader);
            succeeded(Operation.GET_OR_SET_MANY, started);
            return found;
        } catch (RuntimeException | Error e) {
            failed(Operation.GET_OR_SET_MANY, started, e);
            throw e;
        }
    }

    /**
     * The value, or one load per key at a time across every instance: in this JVM callers share
     * one flight; across instances the flight's leader takes the key's load lease, and whoever
     * does not get it waits for the value, or takes over when the lease ends without one. A call
     * whose loader ran is a miss (and a put when the loader returned a value); one served from the
     * cache, or by another caller's load, is a hit.
     */
    private <T> T getOrSet(String key, JavaType type, long ttlMillis, Supplier<? extends T> loader) {
        Arguments.notNull("loader", loader);
        byte[] cached = store.get(key);
        if (cached != null) {
            T value = JsonCodec.decode(key, cached, type);
            stats.recordGets(1, 0);
            return value;
        }
        List<T> loadedHere = new ArrayList<>(1);
        byte[] json = SingleFlight.run(url + "\u0000" + namespace + "\u0000" + key, "key " + MessageText.quoted(key),
                2 * loadTimeoutMillis, () -> loadUnderLease(key, ttlMillis, loader, loadedHere));
        if (!loadedHere.isEmpty()) {
            T loaded = loadedHere.get(0);
            stats.recordGets(0, 1);
            if (loaded != null) {
                stats.recordPuts(1);
            }
            return loaded;
        }
        T value = json == null ? null : JsonCodec.decode(key, json, type);
        stats.recordGets(1, 0);
        return value;
    }

    private <T> byte[] loadUnderLease(String key, long ttlMillis, Supplier<? extends T> loader, List<T> loadedHere) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * loadTimeoutMillis);
        long pauseMillis = 5;
        while (true) {
            byte[] stored = store.get(key);
            if (stored != null) {
                return stored;
            }
            String token = EntryVersion.next();
            if (store.tryLease(key, token, loadTimeoutMillis)) {
                try {
                    byte[] storedMeanwhile = store.get(key);
                    if (storedMeanwhile != null) {
                        return storedMeanwhile;
                    }
                    T loaded = timedLoad(loader);
                    loadedHere.add(loaded);
                    if (loaded == null) {
                        return null;
                    }
                    byte[] encoded = encode(key, loaded);
                    store.put(key, encoded, ttlMillis);
                    return encoded;
                } finally {
                    LoadLeases.releaseQuietly(store, key, token);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new CacheLoadTimeoutException("getOrSet of key " + MessageText.quoted(key) + " waited "
                        + 2 * loadTimeoutMillis + " ms (twice the load timeout) for a loader another instance holds "
                        + "the lease for, and gave up; nothing was stored by this call");
            }
            LoadLeases.pause(pauseMillis);
            pauseMillis = Math.min(100, pauseMillis * 2);
        }
    }
    /** Runs the loader and records it: a success when it returned a value, a failure when it threw or returned null. */
    private <T> T timedLoad(Supplier<? extends T> loader) {
        long start = System.nanoTime();
        T loaded;
        try {
            loaded = loader.get();
        } catch (RuntimeException | Error e) {
            stats.recordLoad(false, System.nanoTime() - start);
            throw e;
        }
        stats.recordLoad(loaded != null, System.nanoTime() - start);
        return loaded;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            policyLoads.close();
            store.close();
        }
    }

    @Override
    public String toString() {
        return "FunctionCache[" + url + ", namespace=" + namespace + (closed.get() ? ", closed]" : "]");
    }

    private byte[] encode(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("value for key " + MessageText.quoted(key)
                    + " must not be null; use delete(key) to remove a key");
        }
        byte[] json = JsonCodec.encode(key, value);
        if (json.length > maxValueBytes) {
            throw new IllegalArgumentException("value for key " + MessageText.quoted(key) + " must be at most "
                    + maxValueBytes + " bytes of JSON (maxValueBytes), but was " + json.length + " bytes");
        }
        return json;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this cache (" + url + ", namespace " + namespace
                    + ") is closed; open a new one with FunctionCaches.open");
        }
    }
}
