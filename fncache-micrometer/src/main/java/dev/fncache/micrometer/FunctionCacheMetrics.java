package dev.fncache.micrometer;

import dev.fncache.CacheStatsRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A cache's statistics as Micrometer meters, named as Micrometer's own cache binders name them so
 * existing cache dashboards work: {@code cache.gets} ({@code result=hit|miss}), {@code cache.puts},
 * {@code cache.removals} and the {@code cache.load} timer ({@code result=success|failure}), plus
 * fncache's {@code fncache.operation} timer per operation and outcome
 * ({@code ok|invalid|unavailable|failed}; {@code unavailable} counts store errors). Every meter is
 * tagged {@code cache} (the namespace) and {@code backend} (the URL scheme).
 *
 * <pre>{@code
 * FunctionCache cache = FunctionCaches.builder().url(url).namespace("voice-demo")
 *         .stats(FunctionCacheMetrics.recorder(registry))
 *         .build();
 * }</pre>
 */
public final class FunctionCacheMetrics implements CacheStatsRecorder {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter hits;
    private final Counter misses;
    private final Counter puts;
    private final Counter removals;
    private final Timer loadSuccesses;
    private final Timer loadFailures;
    private final ConcurrentHashMap<String, Timer[]> operations = new ConcurrentHashMap<>();

    /** One description per meter name: Prometheus keeps a single HELP text for all of a name's series. */
    static final String GETS_HELP = "Reads of a value, by result: hit (found) or miss (absent)";
    static final String LOAD_HELP = "getOrSet loader calls, by result: success (returned a value) or failure (threw or returned null)";

    private FunctionCacheMetrics(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        this.hits = Counter.builder("cache.gets").tags(tags).tag("result", "hit")
                .description(GETS_HELP).register(registry);
        this.misses = Counter.builder("cache.gets").tags(tags).tag("result", "miss")
                .description(GETS_HELP).register(registry);
        this.puts = Counter.builder("cache.puts").tags(tags).description("Values written").register(registry);
        this.removals = Counter.builder("cache.removals").tags(tags).description("Live keys removed").register(registry);
        this.loadSuccesses = Timer.builder("cache.load").tags(tags).tag("result", "success")
                .description(LOAD_HELP).register(registry);
        this.loadFailures = Timer.builder("cache.load").tags(tags).tag("result", "failure")
                .description(LOAD_HELP).register(registry);
    }

    /**
     * What {@code FunctionCaches.builder().stats(...)} takes: each cache opened with it registers
     * its meters in {@code registry}, with {@code extraTags} (such as the host or the function's
     * version) besides {@code cache} and {@code backend}.
     */
    public static CacheStatsRecorder.Factory recorder(MeterRegistry registry, Tag... extraTags) {
        if (registry == null) {
            throw new IllegalArgumentException("registry must not be null");
        }
        Tags extra = Tags.of(List.of(extraTags));
        return (namespace, backend) -> new FunctionCacheMetrics(registry,
                extra.and("cache", namespace, "backend", backend));
    }

    @Override
    public void recordOperation(String operation, Outcome outcome, long nanos) {
        operations.computeIfAbsent(operation, this::operationTimers)[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer[] operationTimers(String operation) {
        Outcome[] outcomes = Outcome.values();
        Timer[] timers = new Timer[outcomes.length];
        for (Outcome outcome : outcomes) {
            timers[outcome.ordinal()] = Timer.builder("fncache.operation").tags(tags)
                    .tag("operation", operation).tag("outcome", outcome.tag())
                    .description("Calls of a cache operation, by outcome").register(registry);
        }
        return timers;
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
}
