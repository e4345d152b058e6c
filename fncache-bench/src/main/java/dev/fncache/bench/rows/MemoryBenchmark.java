package dev.fncache.bench.rows;

import dev.fncache.bench.harness.Interleaved;
import dev.fncache.bench.harness.InterleavedState;
import dev.fncache.bench.fixtures.CallSession;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.micrometer.FunctionCacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * fncache's memory backend against what a user would write instead: a ConcurrentHashMap of JSON
 * bytes, and Caffeine with per-entry expiry; all three encode and decode the same session. The
 * sides named in {@code sides} take turns, one iteration each (see {@link Interleaved}). The
 * {@code recorded} sides are fncache with its statistics fed to a Micrometer registry, as the
 * runtime runs it. Caffeine does its maintenance on the calling thread, so the work its writes
 * queue is paid in Caffeine's own turn, not on a pool thread during the next side's turn.
 */
@State(Scope.Benchmark)
public class MemoryBenchmark extends InterleavedState<MemoryBenchmark.Side> {
    /** What a turn calls. */
    public enum Side {
        FNCACHE_GET, MAP_GET, CAFFEINE_GET, FNCACHE_SET, MAP_SET, CAFFEINE_SET, RECORDED_GET, RECORDED_SET
    }

    static final int KEYS = 10_000;

    /** An expiring JSON value, as a user of Caffeine's variable expiry would store it. */
    record Timed(byte[] json, long ttlNanos) {
    }

    @Param("FNCACHE_GET,MAP_GET,CAFFEINE_GET,FNCACHE_SET,MAP_SET,CAFFEINE_SET")
    public String sides;

    FunctionCache fncache;
    FunctionCache recorded;
    ConcurrentHashMap<String, byte[]> map;
    Cache<String, Timed> caffeine;
    String[] keys;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        takeTurns(sides, Side.class);
        String store = "memory:bench-" + UUID.randomUUID();
        fncache = FunctionCaches.open(store, "bench");
        recorded = FunctionCaches.builder().url(store).namespace("bench")
                .stats(FunctionCacheMetrics.recorder(new SimpleMeterRegistry())).build();
        map = new ConcurrentHashMap<>();
        caffeine = Caffeine.newBuilder()
                .maximumSize(10 * KEYS)
                .executor(Runnable::run)
                .expireAfter(Expiry.<String, Timed>writing((key, value) -> java.time.Duration.ofNanos(value.ttlNanos())))
                .build();
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "session:" + i;
            fncache.set(keys[i], CallSession.SAMPLE, 3600);
            map.put(keys[i], CallSession.encode(CallSession.SAMPLE));
            caffeine.put(keys[i], new Timed(CallSession.encode(CallSession.SAMPLE), TimeUnit.HOURS.toNanos(1)));
        }
        primeEverySide(150);
    }

    @TearDown(Level.Trial)
    public void close() {
        fncache.close();
        recorded.close();
    }

    @Benchmark
    @Override
    public Object turn() {
        String key = keys[ThreadLocalRandom.current().nextInt(KEYS)];
        return switch (side) {
            case FNCACHE_GET -> fncacheGet(key);
            case MAP_GET -> mapGet(key);
            case CAFFEINE_GET -> caffeineGet(key);
            case FNCACHE_SET -> fncacheSet(key);
            case MAP_SET -> mapSet(key);
            case CAFFEINE_SET -> caffeineSet(key);
            case RECORDED_GET -> recordedGet(key);
            case RECORDED_SET -> recordedSet(key);
        };
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private CallSession fncacheGet(String key) {
        return fncache.get(key, CallSession.class);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private CallSession recordedGet(String key) {
        return recorded.get(key, CallSession.class);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private CallSession mapGet(String key) {
        return CallSession.decode(map.get(key));
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private CallSession caffeineGet(String key) {
        return CallSession.decode(caffeine.getIfPresent(key).json());
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private String fncacheSet(String key) {
        fncache.set(key, CallSession.SAMPLE, 3600);
        return key;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private String recordedSet(String key) {
        recorded.set(key, CallSession.SAMPLE, 3600);
        return key;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private byte[] mapSet(String key) {
        return map.put(key, CallSession.encode(CallSession.SAMPLE));
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private String caffeineSet(String key) {
        caffeine.put(key, new Timed(CallSession.encode(CallSession.SAMPLE), TimeUnit.HOURS.toNanos(1)));
        return key;
    }
}
