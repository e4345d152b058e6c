package dev.fncache.micrometer;

import dev.fncache.CacheStatsRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cache's statistics as Micrometer meters, named as Micrometer's own cache binders name them so
 * existing cache dashboards work: {@code cache.gets} ({@code result=hit|miss}), {@code cache.puts},
 * {@code cache.removals} and the {@code cache.load} timer ({@code result=success|failure}), plus
 * fncache's {@code fncache.operation} function timer per operation and outcome
 * ({@code ok|invalid|unavailable|failed}; {@code unavailable} counts store errors). Every meter is
 * tagged {@code cache} (the namespace) and {@code backend} (the URL scheme).
 *
 * <p>{@code fncache.operation} counts every call exactly; its total time is estimated from a
 * random sample, one call in {@value #DEFAULT_TIMED_ONE_IN} by default, each timed call counting
 * for that many (so the mean is exact on average and the total only grows). Timing every call
 * would read the clock twice per call, about a tenth of a memory {@code set};
 * {@link #recorder(MeterRegistry, int, Tag...)} with 1 does that.
 *
 * <pre>{@code
 * FunctionCache cache = FunctionCaches.builder().url(url).namespace("voice-demo")
 *         .stats(FunctionCacheMetrics.recorder(registry))
 *         .build();
 * }</pre>
 */
public final class FunctionCacheMetrics implements CacheStatsRecorder {
    /** By default one call in this many is timed. */
    public static final int DEFAULT_TIMED_ONE_IN = 16;
    /** One description per meter name: Prometheus keeps a single HELP text for all of a name's series. */
    static final String GETS_HELP = "Reads of a value, by result: hit (found) or miss (absent)";
    static final String LOAD_HELP = "getOrSet loader calls, by result: success (returned a value) or failure (threw or returned null)";
    static final String UNAVAILABLE_HELP = "rateLimit calls that found the store unavailable and answered as their rule's whenUnavailable says";
    static final String OPERATION_HELP = "Calls of a cache operation, by outcome (every call counted; the time "
            + "estimated from a random sample of calls)";

    /*
     * Static because Micrometer keeps the first meter registered under a name and tags, bound to
     * the object it was given: a cache reopened later on the same registry must add to the same
     * cells, or its calls would never be read; and a function timer holds its object weakly, so
     * this map is what keeps the cells of a closed cache. Weak keys, so a registry dropped is
     * forgotten.
     */
    private static final Map<MeterRegistry, Map<Tags, OperationCells>> CELLS = new WeakHashMap<>();

    private final MeterRegistry registry;
    private final Tags tags;
    private final int timedOneIn;
    private final Counter hits;
    private final Counter misses;
    private final Counter puts;
    private final Counter removals;
    private final Counter staleServed;
    private final Counter rateLimitsAllowedUnavailable;
    private final Counter rateLimitsDeniedUnavailable;
    private final Timer loadSuccesses;
    private final Timer loadFailures;
    /** Registered on a near cache's first count, so a cache without one shows none. */
    private volatile NearCacheCounters nearCache;
    /** Per operation, its cells per outcome, registered when the operation is first called. */
    private final AtomicReferenceArray<OperationCells[]> operations = new AtomicReferenceArray<>(Operation.values().length);

    /** {@code fncache.nearcache.gets} by result, and {@code fncache.nearcache.evictions}. */
    private record NearCacheCounters(Counter hits, Counter misses, Counter evictions) {
    }

    /** The calls of one operation with one outcome, and the estimated nanoseconds they took. */
    private static final class OperationCells {
        final LongAdder calls = new LongAdder();
        final LongAdder estimatedNanos = new LongAdder();
    }

    private FunctionCacheMetrics(MeterRegistry registry, Tags tags, int timedOneIn) {
        this.registry = registry;
        this.tags = tags;
        this.timedOneIn = timedOneIn;
        this.hits = Counter.builder("cache.gets").tags(tags).tag("result", "hit")
                .description(GETS_HELP).register(registry);
        this.misses = Counter.builder("cache.gets").tags(tags).tag("result", "miss")
                .description(GETS_HELP).register(registry);
        this.puts = Counter.builder("cache.puts").tags(tags).description("Values written").register(registry);
        this.removals = Counter.builder("cache.removals").tags(tags).description("Live keys removed").register(registry);
        this.staleServed = Counter.builder("fncache.stale.served").tags(tags)
                .description("getOrSet calls that answered a stale value because the load failed or was slow")
                .register(registry);
        this.rateLimitsAllowedUnavailable = Counter.builder("fncache.ratelimit.unavailable").tags(tags)
                .tag("answer", "allowed").description(UNAVAILABLE_HELP).register(registry);
        this.rateLimitsDeniedUnavailable = Counter.builder("fncache.ratelimit.unavailable").tags(tags)
                .tag("answer", "denied").description(UNAVAILABLE_HELP).register(registry);
        this.loadSuccesses = Timer.builder("cache.load").tags(tags).tag("result", "success")
                .description(LOAD_HELP).register(registry);
        this.loadFailures = Timer.builder("cache.load").tags(tags).tag("result", "failure")
                .description(LOAD_HELP).register(registry);
    }

    /**
     * What {@code FunctionCaches.builder().stats(...)} takes: each cache opened with it registers
     * its meters in {@code registry}, with {@code extraTags} (such as the host or the function's
     * version) besides {@code cache} and {@code backend}; one call in
     * {@value #DEFAULT_TIMED_ONE_IN} is timed.
     */
    public static CacheStatsRecorder.Factory recorder(MeterRegistry registry, Tag... extraTags) {
        return recorder(registry, DEFAULT_TIMED_ONE_IN, extraTags);
    }

    /**
     * As {@link #recorder(MeterRegistry, Tag...)}, timing one call in {@code timedOneIn} (1 to
     * 1,024; 1 times every call, at about 35 ns a call).
     */
    public static CacheStatsRecorder.Factory recorder(MeterRegistry registry, int timedOneIn, Tag... extraTags) {
        if (registry == null) {
            throw new IllegalArgumentException("registry must not be null");
        }
        if (timedOneIn < 1 || timedOneIn > 1_024) {
            throw new IllegalArgumentException("timedOneIn must be between 1 and 1024, but was " + timedOneIn);
        }
        Tags extra = Tags.of(List.of(extraTags));
        return (namespace, backend) -> new FunctionCacheMetrics(registry,
                extra.and("cache", namespace, "backend", backend), timedOneIn);
    }

    @Override
    public boolean timesNextOperation() {
        return timedOneIn == 1 || ThreadLocalRandom.current().nextInt(timedOneIn) == 0;
    }

    @Override
    public void recordOperation(Operation operation, Outcome outcome, long nanos) {
        OperationCells[] byOutcome = operations.get(operation.ordinal());
        if (byOutcome == null) {
            byOutcome = registered(operation);
        }
        OperationCells cells = byOutcome[outcome.ordinal()];
        cells.calls.increment();
        if (nanos >= 0) {
            cells.estimatedNanos.add(nanos * timedOneIn);
        }
    }

    private synchronized OperationCells[] registered(Operation operation) {
        OperationCells[] known = operations.get(operation.ordinal());
        if (known != null) {
            return known;
        }
        Outcome[] outcomes = Outcome.values();
        OperationCells[] cells = new OperationCells[outcomes.length];
        for (Outcome outcome : outcomes) {
            Tags meterTags = tags.and("operation", operation.tag(), "outcome", outcome.tag());
            OperationCells shared;
            synchronized (CELLS) {
                shared = CELLS.computeIfAbsent(registry, r -> new ConcurrentHashMap<>())
                        .computeIfAbsent(meterTags, t -> new OperationCells());
            }
            FunctionTimer.builder("fncache.operation", shared, c -> c.calls.sum(), c -> c.estimatedNanos.sum(),
                    TimeUnit.NANOSECONDS).tags(meterTags).description(OPERATION_HELP).register(registry);
            cells[outcome.ordinal()] = shared;
        }
        operations.set(operation.ordinal(), cells);
        return cells;
    }

    @Override
    public void recordGets(long hitCount, long missCount) {
        if (hitCount > 0) {
            hits.increment(hitCount);
        }
        if (missCount > 0) {
            misses.increment(missCount);
        }
    }

    @Override
    public void recordPuts(long count) {
        puts.increment(count);
    }

    @Override
    public void recordRemovals(long count) {
        removals.increment(count);
    }

    @Override
    public void recordLoad(boolean success, long nanos) {
        (success ? loadSuccesses : loadFailures).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void recordStaleServed(long count) {
        staleServed.increment(count);
    }

    @Override
    public void recordRateLimitUnavailable(boolean allowed) {
        (allowed ? rateLimitsAllowedUnavailable : rateLimitsDeniedUnavailable).increment();
    }

    @Override
    public void recordNearCache(long hits, long misses, long evictions) {
        NearCacheCounters counters = nearCache;
        if (counters == null) {
            counters = nearCacheCounters();
        }
        if (hits > 0) {
            counters.hits().increment(hits);
        }
        if (misses > 0) {
            counters.misses().increment(misses);
        }
        if (evictions > 0) {
            counters.evictions().increment(evictions);
        }
    }

    private synchronized NearCacheCounters nearCacheCounters() {
        if (nearCache == null) {
            String help = "Reads a Redis near cache answered from its copies (hit) or passed to Redis (miss)";
            nearCache = new NearCacheCounters(
                    Counter.builder("fncache.nearcache.gets").tags(tags).tag("result", "hit").description(help)
                            .register(registry),
                    Counter.builder("fncache.nearcache.gets").tags(tags).tag("result", "miss").description(help)
                            .register(registry),
                    Counter.builder("fncache.nearcache.evictions").tags(tags)
                            .description("Copies a Redis near cache evicted to keep to its bounds").register(registry));
        }
        return nearCache;
    }
}
