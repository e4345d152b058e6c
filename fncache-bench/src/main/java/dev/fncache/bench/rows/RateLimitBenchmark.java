package dev.fncache.bench.rows;

import dev.fncache.bench.harness.InterleavedState;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.RateLimit;
import dev.fncache.RateLimitRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a rate-limit hit costs at limit 10,000 against limit 10, on one backend: each side keeps
 * one key in its steady state, a full window (its clock moves a window divided by the limit per
 * hit, so every hit is allowed and the log always holds about the limit's entries, compacted once
 * per quarter of the limit). A log whose cost did not depend on the limit gives a ratio near 1.
 * SQLite runs with {@code synchronous=normal}, so the fsync of a durable write does not hide what
 * the log's size costs, and with {@code synchronous=full} as a durable rate limit runs.
 */
@State(Scope.Benchmark)
public class RateLimitBenchmark extends InterleavedState<RateLimitBenchmark.Limit> {
    /** The limit a turn hits at. */
    public enum Limit {
        LIMIT_10, LIMIT_10000,
        /** A fixed window and a token bucket at the highest limit, whose state is two numbers whatever it. */
        FIXED_WINDOW_BILLION, TOKEN_BUCKET_BILLION
    }

    /** memory, sqlite (synchronous=normal) or sqlite-full (synchronous=full, each hit one fsync). */
    @Param({"memory", "sqlite", "sqlite-full"})
    public String backend;

    @Param("LIMIT_10,LIMIT_10000")
    public String sides;

    /** One side: a cache on its own clock, hitting one key at one limit. */
    static final class Side {
        final ManualClock clock = new ManualClock();
        final FunctionCache cache;
        final int limit;
        final Duration window;
        final long stepMillis;

        final RateLimitRule rule;

        Side(String url, int limit, Duration window) {
            this(url, RateLimitRule.slidingWindow(limit, window), window.toMillis() / limit);
        }

        Side(String url, RateLimitRule rule, long stepMillis) {
            this.cache = FunctionCaches.builder().url(url).namespace("bench-" + rule.algorithm() + "-" + rule.limit())
                    .clock(clock).build();
            this.limit = rule.limit();
            this.window = rule.period();
            this.stepMillis = stepMillis;
            this.rule = rule;
        }

        RateLimit hit() {
            clock.advance(stepMillis);
            RateLimit hit = cache.rateLimit("sms:+46700000000", rule);
            if (!hit.allowed()) {
                throw new IllegalStateException("a steady-state hit was denied at limit " + limit);
            }
            return hit;
        }
    }

    /** A clock that moves only when told. */
    static final class ManualClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

        void advance(long step) {
            millis.addAndGet(step);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }

    Side small;
    Side large;
    Side fixedBillion;
    Side bucketBillion;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        takeTurns(sides, Limit.class);
        String url;
        if (backend.equals("memory")) {
            url = "memory:bench-" + UUID.randomUUID();
        } else {
            Path directory = Path.of(System.getProperty("fncache.bench.data", "target/bench-data"), "rate-limit-" + UUID.randomUUID());
            Files.createDirectories(directory);
            url = "sqlite:" + directory.resolve("rate.db") + (backend.equals("sqlite") ? "?synchronous=normal" : "");
        }
        small = new Side(url, 10, Duration.ofSeconds(1));
        large = new Side(url, 10_000, Duration.ofSeconds(10));
        fixedBillion = new Side(url, RateLimitRule.fixedWindow(RateLimitRule.MAX_COUNTER_LIMIT, Duration.ofDays(3650)), 0);
        bucketBillion = new Side(url, RateLimitRule.tokenBucket(RateLimitRule.MAX_COUNTER_LIMIT, 1, Duration.ofMillis(1)), 1);
        for (Side side : List.of(small, large)) {
            for (int i = 0; i < side.limit; i++) {
                side.hit();
            }
        }
        fixedBillion.hit();
        bucketBillion.hit();
        primeEverySide(150);
    }

    @TearDown(Level.Trial)
    public void close() {
        for (Side each : List.of(small, large, fixedBillion, bucketBillion)) {
            each.cache.close();
        }
    }

    @Benchmark
    @Override
    public Object turn() {
        return switch (side) {
            case LIMIT_10 -> limit10();
            case LIMIT_10000 -> limit10000();
            case FIXED_WINDOW_BILLION -> fixedBillion();
            case TOKEN_BUCKET_BILLION -> bucketBillion();
        };
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private RateLimit fixedBillion() {
        return fixedBillion.hit();
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private RateLimit bucketBillion() {
        return bucketBillion.hit();
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private RateLimit limit10() {
        return small.hit();
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private RateLimit limit10000() {
        return large.hit();
    }
}
