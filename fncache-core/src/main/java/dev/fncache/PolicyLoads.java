package dev.fncache;

import com.fasterxml.jackson.databind.JavaType;
import dev.fncache.internal.JsonCodec;
import dev.fncache.internal.SingleFlight;
import dev.fncache.spi.CacheStore;
import dev.fncache.spi.GlobPattern;
import dev.fncache.spi.LiveValue;
import dev.fncache.support.EntryVersion;
import dev.fncache.support.MessageText;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code getOrSet} under a {@link LoadPolicy} for one cache (CONTRACT rule 25): the plain load
 * of rule 11 (one flight per key in this JVM, the key's lease across instances), plus stale
 * answers from {@link StaleCopies}, loads that run in the background past a soft or hard
 * timeout, and refreshes ahead of expiry.
 */
final class PolicyLoads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyLoads.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    static final long REFRESH_RETRY_MILLIS = 20;

    private final CacheStore store;
    private final Clock clock;
    private final CacheStatsRecorder stats;
    private final String flightPrefix;
    private final long leaseMillis;
    private final BiFunction<String, Object, byte[]> encoder;
    final StaleCopies staleCopies = new StaleCopies();
    private final SeenExpiries seenExpiries = new SeenExpiries();
    /** Keys whose last load failed and answered stale: logged once until a load succeeds. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    /** Keys this instance is refreshing ahead now. */
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private volatile @Nullable ExecutorService background;

    /** What a flight answers: the JSON (null when the loader returned null) and whether it is stale. */
    private record Answer(byte @Nullable [] json, boolean stale) {
    }

    /** A loader's value and its JSON, both null when it returned null. */
    private record Loaded(@Nullable Object value, byte @Nullable [] json) {
    }

    PolicyLoads(CacheStore store, Clock clock, CacheStatsRecorder stats, String flightPrefix, long leaseMillis,
            BiFunction<String, Object, byte[]> encoder) {
        this.store = store;
        this.clock = clock;
        this.stats = stats;
        this.flightPrefix = flightPrefix;
        this.leaseMillis = leaseMillis;
        this.encoder = encoder;
    }

    <T> @Nullable T getOrSet(String key, JavaType type, LoadPolicy policy, Supplier<? extends T> loader) {
        LiveValue entry;
        try {
            entry = read(key);
        } catch (CacheUnavailableException e) {
            return decodeStale(key, type, staleOrThrow(key, policy, e, "the store failed"));
        }
        if (entry != null) {
            remember(key, entry.value(), entry.remainingMillis(), policy);
            if (policy.refreshAhead() > 0 && entry.remainingMillis() <= refreshThresholdMillis(policy)) {
                refreshInBackground(key, policy, loader);
            }
            stats.recordGets(1, 0);
            return JsonCodec.decode(key, entry.value(), type);
        }
        List<Object> loadedHere = new ArrayList<>(1);
        Answer answer = SingleFlight.run(flightPrefix + key, "key " + MessageText.quoted(key), 2 * leaseMillis,
                () -> loadMissing(key, policy, loader, loadedHere));
        if (answer.stale()) {
            stats.recordGets(0, 1);
            stats.recordStaleServed(1);
            return JsonCodec.decode(key, answer.json(), type);
        }
        if (!loadedHere.isEmpty()) {
            stats.recordGets(0, 1);
            @SuppressWarnings("unchecked")
            T loaded = (T) loadedHere.get(0);
            if (loaded != null) {
                stats.recordPuts(1);
            }
            return loaded;
        }
        stats.recordGets(1, 0);
        return answer.json() == null ? null : JsonCodec.decode(key, answer.json(), type);
    }

    /**
     * The key's live value and lifetime: a plain read when the value is the one whose expiry this
     * cache read just before ({@link SeenExpiries}), else the store's read with the lifetime.
     */
    private @Nullable LiveValue read(String key) {
        byte[] json = store.get(key);
        if (json == null) {
            return null;
        }
        long remaining = seenExpiries.remainingMillis(key, json, clock.millis());
        return remaining > 0 ? new LiveValue(json, remaining) : readLive(key);
    }

    /** The store's read with the lifetime, which this cache then remembers. */
    private @Nullable LiveValue readLive(String key) {
        LiveValue live = store.getLive(key);
        if (live != null) {
            long now = clock.millis();
            seenExpiries.remember(key, live.value(), now + live.remainingMillis(), now);
        }
        return live;
    }

    /** Forgets what this cache kept of {@code key} (its stale copy, its seen expiry): this cache changed it. */
    void forget(String key) {
        staleCopies.discard(key);
        seenExpiries.discard(key);
    }

    void forget(Collection<String> keys) {
        staleCopies.discard(keys);
        keys.forEach(seenExpiries::discard);
    }

    void forgetMatching(GlobPattern pattern) {
        staleCopies.discardMatching(pattern);
        seenExpiries.discardMatching(pattern);
    }

    private <T> T decodeStale(String key, JavaType type, byte[] json) {
        stats.recordGets(0, 1);
        stats.recordStaleServed(1);
        return JsonCodec.decode(key, json, type);
    }

    /**
     * The leader's load: wait for another instance's lease, or take it and load. A wait that has
     * reached a timeout answers before reading the store again, so it is late by a pause's
     * overshoot only, not by two more round trips.
     */
    private Answer loadMissing(String key, LoadPolicy policy, Supplier<?> loader, List<Object> loadedHere) {
        long started = System.nanoTime();
        long pauseMillis = 5;
        while (true) {
            long waited = elapsedMillis(started);
            byte[] stale = staleCopy(key, policy);
            if (stale != null && policy.softTimeout() != null && waited >= policy.softTimeout().toMillis()) {
                return new Answer(staleAnswer(key, stale, "the instance loading it has not answered within softTimeout "
                        + policy.softTimeout(), null), true);
            }
            if (policy.hardTimeout() != null && waited >= policy.hardTimeout().toMillis()) {
                if (stale != null) {
                    return new Answer(staleAnswer(key, stale, "the instance loading it has not answered within "
                            + "hardTimeout " + policy.hardTimeout(), null), true);
                }
                throw new CacheLoadTimeoutException("getOrSet of key " + MessageText.quoted(key) + " gave up after "
                        + "hardTimeout " + policy.hardTimeout() + " waiting for the load another instance holds the "
                        + "lease for, with no stale value at hand");
            }
            if (waited > 2 * leaseMillis) {
                throw new CacheLoadTimeoutException("getOrSet of key " + MessageText.quoted(key) + " waited "
                        + 2 * leaseMillis + " ms (twice the load timeout) for a loader another instance holds the "
                        + "lease for, and gave up; nothing was stored by this call");
            }
            String token = EntryVersion.next();
            try {
                LiveValue entry = readLive(key);
                if (entry != null) {
                    remember(key, entry.value(), entry.remainingMillis(), policy);
                    return new Answer(entry.value(), false);
                }
                if (store.tryLease(key, token, leaseMillis)) {
                    return loadUnderLease(key, token, policy, loader, loadedHere, started);
                }
            } catch (CacheUnavailableException e) {
                return new Answer(staleOrThrow(key, policy, e, "the store failed"), true);
            }
            LoadLeases.pause(Math.min(pauseMillis, millisToNextDeadline(policy, stale != null, elapsedMillis(started))));
            pauseMillis = Math.min(100, pauseMillis * 2);
        }
    }

    private Answer loadUnderLease(String key, String token, LoadPolicy policy, Supplier<?> loader,
            List<Object> loadedHere, long started) {
        CompletableFuture<Loaded> load;
        try {
            LiveValue meanwhile = readLive(key);
            if (meanwhile != null) {
                LoadLeases.releaseQuietly(store, key, token);
                remember(key, meanwhile.value(), meanwhile.remainingMillis(), policy);
                return new Answer(meanwhile.value(), false);
            }
        } catch (CacheUnavailableException e) {
            LoadLeases.releaseQuietly(store, key, token);
            return new Answer(staleOrThrow(key, policy, e, "the store failed"), true);
        }
        if (policy.softTimeout() == null && policy.hardTimeout() == null) {
            load = CompletableFuture.completedFuture(null).thenApply(ignored -> loadAndStore(key, policy, loader));
        } else {
            load = CompletableFuture.supplyAsync(() -> loadAndStore(key, policy, loader), background());
        }
        load.whenComplete((value, failure) -> LoadLeases.releaseQuietly(store, key, token));
        byte[] stale = staleCopy(key, policy);
        Duration limit = stale != null && policy.softTimeout() != null ? policy.softTimeout() : policy.hardTimeout();
        try {
            Loaded loaded = limit == null ? load.get()
                    : load.get(Math.max(0, limit.toMillis() - elapsedMillis(started)), TimeUnit.MILLISECONDS);
            if (loaded.value() == null && stale != null) {
                return new Answer(staleAnswer(key, stale, "the loader returned null", null), true);
            }
            loadedHere.add(loaded.value());
            return new Answer(loaded.json(), false);
        } catch (TimeoutException e) {
            if (stale != null) {
                return new Answer(staleAnswer(key, stale, "the loader has not answered within " + (limit == policy.softTimeout()
                        ? "softTimeout " : "hardTimeout ") + limit + "; it goes on and stores its value", null), true);
            }
            throw new CacheLoadTimeoutException("getOrSet of key " + MessageText.quoted(key) + " gave up after "
                    + "hardTimeout " + limit + " with no stale value at hand; the load goes on and stores its value "
                    + "when it arrives");
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (stale != null && !(failure instanceof Error) && !(failure instanceof IllegalArgumentException)
                    && !(failure instanceof CacheSerializationException)) {
                return new Answer(staleAnswer(key, stale, "the load failed", failure), true);
            }
            throw SneakyThrow.<RuntimeException>rethrow(failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheLoadTimeoutException("getOrSet of key " + MessageText.quoted(key) + " was interrupted "
                    + "while waiting for its loader");
        }
    }

    /** Runs the loader, stores a non-null value with the policy's TTL, and returns it with its JSON. */
    private Loaded loadAndStore(String key, LoadPolicy policy, Supplier<?> loader) {
        long start = System.nanoTime();
        Object loaded;
        try {
            loaded = loader.get();
        } catch (RuntimeException | Error e) {
            stats.recordLoad(false, System.nanoTime() - start);
            throw e;
        }
        stats.recordLoad(loaded != null, System.nanoTime() - start);
        if (loaded == null) {
            return new Loaded(null, null);
        }
        byte[] json = encoder.apply(key, loaded);
        long now = clock.millis();
        store.put(key, json, policy.ttl().toMillis());
        seenExpiries.remember(key, json, now + policy.ttl().toMillis(), now);
        remember(key, json, policy.ttl().toMillis(), policy);
        loadSucceeded(key);
        return new Loaded(loaded, json);
    }

    /** Ends the key's run of stale answers: the next one is logged again. */
    void loadSucceeded(String key) {
        failing.remove(key);
    }

    /**
     * Reloads {@code key} once across every instance: under its lease, and only if nobody has
     * refreshed it since this call saw it old. Whether somebody has is read first, without a
     * write; an instance that finds the lease held tries again {@link #REFRESH_RETRY_MILLIS}
     * later at the soonest, so instances waiting for another's refresh do not crowd the store's
     * writer (SQLite's is one for every process) that the refresh needs.
     */
    private void refreshInBackground(String key, LoadPolicy policy, Supplier<?> loader) {
        if (!refreshing.add(key)) {
            return;
        }
        try {
            background().execute(() -> {
                String token = EntryVersion.next();
                try {
                    if (stillFresh(readLive(key), policy)) {
                        return;
                    }
                    if (!store.tryLease(key, token, leaseMillis)) {
                        quietPause(REFRESH_RETRY_MILLIS);
                        return;
                    }
                    try {
                        if (stillFresh(readLive(key), policy)) {
                            return;
                        }
                        if (loadAndStore(key, policy, loader).value() != null) {
                            stats.recordPuts(1);
                        }
                    } finally {
                        LoadLeases.releaseQuietly(store, key, token);
                    }
                } catch (RuntimeException | Error e) {
                    if (failing.add(key)) {
                        LOG.warn("refreshing key {} ahead of its expiry failed; the value expires as it would ({})",
                                MessageText.quoted(key), e.toString());
                    }
                } finally {
                    refreshing.remove(key);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            refreshing.remove(key);
        }
    }

    /** Whether a refresh is not (or no longer) due: the value is gone, or another instance renewed it. */
    private static boolean stillFresh(@Nullable LiveValue now, LoadPolicy policy) {
        return now == null || now.remainingMillis() > refreshThresholdMillis(policy);
    }

    private static void quietPause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long refreshThresholdMillis(LoadPolicy policy) {
        return (long) (policy.ttl().toMillis() * (1 - policy.refreshAhead()));
    }

    private void remember(String key, byte[] json, long remainingMillis, LoadPolicy policy) {
        if (policy.staleFor() != null) {
            staleCopies.remember(key, json, clock.millis() + remainingMillis + policy.staleFor().toMillis());
        }
    }

    private byte @Nullable [] staleCopy(String key, LoadPolicy policy) {
        return policy.staleFor() == null ? null : staleCopies.get(key, clock.millis());
    }

    /** The stale copy for a store failure, or the failure itself when there is none. */
    private byte[] staleOrThrow(String key, LoadPolicy policy, CacheUnavailableException failure, String why) {
        byte[] stale = staleCopy(key, policy);
        if (stale == null) {
            throw failure;
        }
        return staleAnswer(key, stale, why, failure);
    }

    /** Logs the first stale answer for a key until a load succeeds, and returns {@code json}. */
    byte[] staleAnswer(String key, byte[] json, String why, @Nullable Throwable cause) {
        if (failing.add(key)) {
            LOG.warn("getOrSet of key {} answers its stale value: {}{}", MessageText.quoted(key), why,
                    cause == null ? "" : " (" + cause + ")");
        }
        return json;
    }

    private static long millisToNextDeadline(LoadPolicy policy, boolean staleAtHand, long waited) {
        long next = Long.MAX_VALUE;
        if (staleAtHand && policy.softTimeout() != null) {
            next = Math.min(next, policy.softTimeout().toMillis() - waited);
        }
        if (policy.hardTimeout() != null) {
            next = Math.min(next, policy.hardTimeout().toMillis() - waited);
        }
        return Math.max(1, next);
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** Daemon threads for loads past a timeout and refreshes, made on first use. */
    ExecutorService background() {
        ExecutorService executor = background;
        if (executor == null) {
            synchronized (this) {
                executor = background;
                if (executor == null) {
                    executor = Executors.newCachedThreadPool(runnable -> {
                        Thread thread = new Thread(runnable, "fncache-load-" + THREADS.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
                    background = executor;
                }
            }
        }
        return executor;
    }

    /** Lets background loads finish (their stores fail once the store is closed); starts no more. */
    @Override
    public void close() {
        ExecutorService executor = background;
        if (executor != null) {
            executor.shutdown();
        }
        staleCopies.clear();
        seenExpiries.clear();
    }

    /** Rethrows a loader's own exception, checked or not, as the loader threw it. */
    static final class SneakyThrow {
        @SuppressWarnings("unchecked")
        static <E extends Throwable> E rethrow(Throwable failure) throws E {
            throw (E) failure;
        }
    }
}
