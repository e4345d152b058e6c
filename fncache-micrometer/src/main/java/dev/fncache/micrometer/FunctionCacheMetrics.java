package dev.fncache.micrometer;

import dev.fncache.CacheStatsRecorder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cache's statistics as Micrometer meters, named as Micrometer's own cache binders name them so
 * existing cache dashboards work: {@code cache.gets} ({@code result=hit|miss}), {@code cache.puts},
 * {@code cache.removals} and the {@code cache.load} timer ({@code result=success|failure}), plus
 * fncache's {@code fncache.operation} timer per operation and outcome
 * ({@code ok|invalid|unavailable|failed}; {@code unavailable} counts store errors). Every meter is
 * tagged {@code cache} (the namespace) and {@code backend} (the URL scheme).
 *
 * <p>As Caffeine's binder does, the counts live in the recorder ({@link LongAdder}s) and the
 * registry reads them when it publishes ({@link FunctionCounter}, {@link FunctionTimer}), so a
 * cache call costs a few additions, not a meter update: {@code fncache.operation} therefore has
 * a count and a total time but no maximum. The meters read the recorder through weak references,
 * as Micrometer's function meters do: a cache that is gone stops being counted.
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
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final Timer loadSuccesses;
    private final Timer loadFailures;
    private final ConcurrentHashMap<String, CallCount[]> operations = new ConcurrentHashMap<>();

    /** Calls of one operation with one outcome, and their total time. */
    private static final class CallCount {
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    private FunctionCacheMetrics(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        FunctionCounter.builder("cache.gets", hits, LongAdder::sum).tags(tags).tag("result", "hit")
                .description("Reads of a value that found it").register(registry);
        FunctionCounter.builder("cache.gets", misses, LongAdder::sum).tags(tags).tag("result", "miss")
                .description("Reads of a value that found none").register(registry);
        FunctionCounter.builder("cache.puts", puts, LongAdder::sum).tags(tags).description("Values written")
                .register(registry);
        FunctionCounter.builder("cache.removals", removals, LongAdder::sum).tags(tags).description("Live keys removed")
                .register(registry);
        this.loadSuccesses = Timer.builder("cache.load").tags(tags).tag("result", "success")
                .description("getOrSet loader calls that returned a value").register(registry);
        this.loadFailures = Timer.builder("cache.load").tags(tags).tag("result", "failure")
                .description("getOrSet loader calls that threw or returned null").register(registry);
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
        CallCount count = operations.computeIfAbsent(operation, this::operationCounts)[outcome.ordinal()];
        count.calls.increment();
        count.nanos.add(nanos);
    }

    private CallCount[] operationCounts(String operation) {
        Outcome[] outcomes = Outcome.values();
        CallCount[] counts = new CallCount[outcomes.length];
        for (Outcome outcome : outcomes) {
            CallCount count = new CallCount();
            counts[outcome.ordinal()] = count;
            FunctionTimer.builder("fncache.operation", count, c -> c.calls.sum(), c -> c.nanos.sum(), TimeUnit.NANOSECONDS)
                    .tags(tags).tag("operation", operation).tag("outcome", outcome.tag())
                    .description("Calls of a cache operation, by outcome").register(registry);
        }
        return counts;
    }

    @Override
    public void recordGets(long hitCount, long missCount) {
        if (hitCount > 0) {
            hits.add(hitCount);
        }
        if (missCount > 0) {
            misses.add(missCount);
        }
    }

    @Override
    public void recordPuts(long count) {
        puts.add(count);
    }

    @Override
    public void recordRemovals(long count) {
        removals.add(count);
    }

    @Override
    public void recordLoad(boolean success, long nanos) {
        (success ? loadSuccesses : loadFailures).record(nanos, TimeUnit.NANOSECONDS);
    }
}
