package dev.fncache;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.fncache.internal.JsonCodec;
import dev.fncache.spi.CacheStore;
import dev.fncache.support.EntryVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code getOrSetMany} for one cache (CONTRACT rule 26): one read of every key, then one loader
 * call with the missing keys this instance could lease; keys leased elsewhere are waited for and
 * taken over when their lease ends without a value. Stale copies and timeouts follow the
 * {@link LoadPolicy} as for one key, all or nothing per loader call.
 */
final class BatchLoads {
    private final CacheStore store;
    private final Clock clock;
    private final CacheStatsRecorder stats;
    private final long leaseMillis;
    private final PolicyLoads policyLoads;
    /** Checks, encodes and stores entries in bounded chunks, as {@code setMany} does. */
    private final BiConsumer<Map<String, ?>, Long> storeMany;

    /** The state of one call: what it answers, and how it came by each value. */
    private static final class Call {
        final Map<String, Object> answers = new HashMap<>();
        final LinkedHashSet<String> pending = new LinkedHashSet<>();
        int hits;
        int loaded;
        int stale;
        int stored;
        final long startedNanos = System.nanoTime();

        long elapsedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }
    }

    BatchLoads(CacheStore store, Clock clock, CacheStatsRecorder stats, long leaseMillis, PolicyLoads policyLoads,
            BiConsumer<Map<String, ?>, Long> storeMany) {
        this.store = store;
        this.clock = clock;
        this.stats = stats;
        this.leaseMillis = leaseMillis;
        this.policyLoads = policyLoads;
        this.storeMany = storeMany;
    }

    /** {@code asked}: distinct, checked keys in the order asked. */
    <T> Map<String, T> getOrSetMany(List<String> asked, JavaType type, LoadPolicy policy,
            Function<? super Set<String>, ? extends @Nullable Map<String, ? extends @Nullable T>> loader) {
        ObjectReader reader = JsonCodec.readerFor(type);
        Call call = new Call();
        List<byte[]> values;
        try {
            values = store.getAll(asked);
        } catch (CacheUnavailableException e) {
            call.pending.addAll(asked);
            answerStale(call, call.pending, policy, reader, type, e, "the store failed");
            return result(asked, call);
        }
        for (int i = 0; i < asked.size(); i++) {
            found(call, asked.get(i), values.get(i), policy, reader, type, false);
            if (values.get(i) == null) {
                call.pending.add(asked.get(i));
            }
        }
        long pauseMillis = 5;
        while (!call.pending.isEmpty()) {
            loadWhatCanBeLeased(call, type, reader, policy, loader);
            if (call.pending.isEmpty()) {
                break;
            }
            long waited = call.elapsedMillis();
            Duration limit = limit(call, call.pending, policy);
            if (limit != null && waited >= limit.toMillis()) {
                answerStaleOrGiveUp(call, call.pending, policy, reader, type, limit,
                        "the instances loading them have not answered");
                break;
            }
            if (waited > 2 * leaseMillis) {
                throw new CacheLoadTimeoutException("getOrSetMany waited " + 2 * leaseMillis + " ms (twice the load "
                        + "timeout) for loaders other instances hold the leases of " + call.pending.size()
                        + " keys for, and gave up; what this call loaded is stored");
            }
            LoadLeases.pause(Math.max(1, Math.min(pauseMillis, limit == null ? pauseMillis : limit.toMillis() - waited)));
            pauseMillis = Math.min(100, pauseMillis * 2);
            readAgain(call, policy, reader, type);
        }
        return result(asked, call);
    }

    /** Takes the lease of every pending key it can, rechecks them, and loads the still missing ones in one call. */
    private <T> void loadWhatCanBeLeased(Call call, JavaType type, ObjectReader reader, LoadPolicy policy,
            Function<? super Set<String>, ? extends @Nullable Map<String, ? extends @Nullable T>> loader) {
        Map<String, String> leases = new LinkedHashMap<>();
        try {
            for (String key : call.pending) {
                String token = EntryVersion.next();
                if (store.tryLease(key, token, leaseMillis)) {
                    leases.put(key, token);
                }
            }
            if (leases.isEmpty()) {
                return;
            }
            List<String> leased = new ArrayList<>(leases.keySet());
            List<byte[]> meanwhile = store.getAll(leased);
            for (int i = 0; i < leased.size(); i++) {
                if (meanwhile.get(i) != null) {
                    found(call, leased.get(i), meanwhile.get(i), policy, reader, type, true);
                    LoadLeases.releaseQuietly(store, leased.get(i), leases.remove(leased.get(i)));
                }
            }
        } catch (CacheUnavailableException e) {
            leases.forEach((key, token) -> LoadLeases.releaseQuietly(store, key, token));
            answerStale(call, call.pending, policy, reader, type, e, "the store failed");
            return;
        }
        if (!leases.isEmpty()) {
            load(call, leases, type, reader, policy, loader);
        }
    }

    private <T> void load(Call call, Map<String, String> leases, JavaType type, ObjectReader reader, LoadPolicy policy,
            Function<? super Set<String>, ? extends @Nullable Map<String, ? extends @Nullable T>> loader) {
        Set<String> missing = Collections.unmodifiableSet(new LinkedHashSet<>(leases.keySet()));
        Duration limit = limit(call, missing, policy);
        CompletableFuture<Map<String, Object>> load = limit == null
                ? CompletableFuture.completedFuture(null).thenApply(ignored -> loadAndStore(missing, policy, loader))
                : CompletableFuture.supplyAsync(() -> loadAndStore(missing, policy, loader), policyLoads.background());
        load.whenComplete((value, failure) -> leases.forEach((key, token) -> LoadLeases.releaseQuietly(store, key, token)));
        Map<String, Object> loaded;
        try {
            loaded = limit == null ? load.get()
                    : load.get(Math.max(0, limit.toMillis() - call.elapsedMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answerStaleOrGiveUp(call, missing, policy, reader, type, limit, "the loader has not answered; it goes on "
                    + "and stores its values");
            return;
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (!(failure instanceof Error) && !(failure instanceof IllegalArgumentException)
                    && !(failure instanceof CacheSerializationException) && allHaveStaleCopies(missing, policy)) {
                answerStale(call, missing, policy, reader, type, failure, "the load failed");
                return;
            }
            throw PolicyLoads.SneakyThrow.<RuntimeException>rethrow(failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheLoadTimeoutException("getOrSetMany was interrupted while waiting for its loader");
        }
        for (String key : missing) {
            Object value = loaded.get(key);
            call.pending.remove(key);
            call.loaded++;
            if (value != null) {
                call.answers.put(key, value);
                call.stored++;
            }
        }
    }

    /** Runs the loader once, stores what it returned for the keys asked (others ignored), and returns those. */
    private <T> Map<String, Object> loadAndStore(Set<String> missing, LoadPolicy policy,
            Function<? super Set<String>, ? extends @Nullable Map<String, ? extends @Nullable T>> loader) {
        long start = System.nanoTime();
        Map<String, ? extends @Nullable T> returned;
        try {
            returned = loader.apply(missing);
        } catch (RuntimeException | Error e) {
            stats.recordLoad(false, System.nanoTime() - start);
            throw e;
        }
        stats.recordLoad(true, System.nanoTime() - start);
        Map<String, Object> kept = new LinkedHashMap<>();
        if (returned != null) {
            for (String key : missing) {
                T value = returned.get(key);
                if (value != null) {
                    kept.put(key, value);
                }
            }
        }
        if (!kept.isEmpty()) {
            storeMany.accept(kept, policy.ttl().toMillis());
            if (policy.staleFor() != null) {
                long staleUntil = clock.millis() + policy.ttl().toMillis() + policy.staleFor().toMillis();
                kept.forEach((key, value) -> policyLoads.staleCopies.remember(key, JsonCodec.encode(key, value),
                        staleUntil));
            }
        }
        missing.forEach(policyLoads::loadSucceeded);
        return kept;
    }

    /** Reads the pending keys once more: those another instance stored meanwhile are answered. */
    private void readAgain(Call call, LoadPolicy policy, ObjectReader reader, JavaType type) {
        List<String> waiting = new ArrayList<>(call.pending);
        List<byte[]> values;
        try {
            values = store.getAll(waiting);
        } catch (CacheUnavailableException e) {
            answerStale(call, call.pending, policy, reader, type, e, "the store failed");
            return;
        }
        for (int i = 0; i < waiting.size(); i++) {
            if (values.get(i) != null) {
                found(call, waiting.get(i), values.get(i), policy, reader, type, true);
            }
        }
    }

    private void found(Call call, String key, byte @Nullable [] json, LoadPolicy policy, ObjectReader reader,
            JavaType type, boolean wasPending) {
        if (json == null) {
            return;
        }
        call.answers.put(key, JsonCodec.decode(key, json, reader, type));
        call.hits++;
        if (wasPending) {
            call.pending.remove(key);
        }
        if (policy.staleFor() != null) {
            // The remaining lifetime is not read with the value, so the copy lasts staleFor from now: never past its promise.
            policyLoads.staleCopies.remember(key, json, clock.millis() + policy.staleFor().toMillis());
        }
    }

    /** The soft timeout when every key has a stale copy, else the hard timeout (null: none). */
    private @Nullable Duration limit(Call call, Set<String> keys, LoadPolicy policy) {
        if (policy.softTimeout() != null && allHaveStaleCopies(keys, policy)) {
            return policy.softTimeout();
        }
        return policy.hardTimeout();
    }

    private boolean allHaveStaleCopies(Set<String> keys, LoadPolicy policy) {
        if (policy.staleFor() == null) {
            return false;
        }
        long now = clock.millis();
        for (String key : keys) {
            if (policyLoads.staleCopies.get(key, now) == null) {
                return false;
            }
        }
        return true;
    }

    private void answerStaleOrGiveUp(Call call, Set<String> keys, LoadPolicy policy, ObjectReader reader,
            JavaType type, Duration limit, String why) {
        String which = limit.equals(policy.softTimeout()) ? "softTimeout " : "hardTimeout ";
        if (allHaveStaleCopies(keys, policy)) {
            answerStale(call, keys, policy, reader, type, null, why + " within " + which + limit);
            return;
        }
        throw new CacheLoadTimeoutException("getOrSetMany gave up after " + which + limit + " with no stale value "
                + "at hand for every one of " + keys.size() + " missing keys (" + why + ")");
    }

    /** Answers every key of {@code keys} from its stale copy, or throws {@code failure} when one has none. */
    private void answerStale(Call call, Set<String> keys, LoadPolicy policy, ObjectReader reader, JavaType type,
            @Nullable Throwable failure, String why) {
        if (!allHaveStaleCopies(keys, policy)) {
            if (failure == null) {
                throw new IllegalStateException("no stale copy for " + keys);
            }
            throw PolicyLoads.SneakyThrow.<RuntimeException>rethrow(failure);
        }
        long now = clock.millis();
        for (String key : new ArrayList<>(keys)) {
            byte[] json = policyLoads.staleCopies.get(key, now);
            if (json == null) {
                throw failure == null ? new CacheLoadTimeoutException("the stale copy of a key expired while answering")
                        : PolicyLoads.SneakyThrow.<RuntimeException>rethrow(failure);
            }
            call.answers.put(key, JsonCodec.decode(key, policyLoads.staleAnswer(key, json, why, failure), reader,
                    type));
            call.stale++;
            call.pending.remove(key);
        }
    }

    private <T> Map<String, T> result(List<String> asked, Call call) {
        Map<String, T> result = new LinkedHashMap<>(2 * call.answers.size());
        for (String key : asked) {
            @SuppressWarnings("unchecked")
            T value = (T) call.answers.get(key);
            if (value != null) {
                result.put(key, value);
            }
        }
        stats.recordGets(call.hits, call.loaded + call.stale);
        if (call.stale > 0) {
            stats.recordStaleServed(call.stale);
        }
        if (call.stored > 0) {
            stats.recordPuts(call.stored);
        }
        return Collections.unmodifiableMap(result);
    }

}
