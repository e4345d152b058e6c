package dev.fncache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * fncache's memory backend against what a user would write instead: a ConcurrentHashMap of JSON
 * bytes, and Caffeine with per-entry expiry; all three encode and decode the same session.
 */
@State(Scope.Benchmark)
public class MemoryBenchmark {
    static final int KEYS = 10_000;

    /** An expiring JSON value, as a user of Caffeine's variable expiry would store it. */
    record Timed(byte[] json, long ttlNanos) {
    }

    FunctionCache fncache;
    ConcurrentHashMap<String, byte[]> map;
    Cache<String, Timed> caffeine;
    String[] keys;

    @Setup(Level.Trial)
    public void fill() {
        fncache = FunctionCaches.open("memory:bench-" + UUID.randomUUID(), "bench");
        map = new ConcurrentHashMap<>();
        caffeine = Caffeine.newBuilder()
                .maximumSize(10 * KEYS)
                .expireAfter(Expiry.<String, Timed>writing((key, value) -> java.time.Duration.ofNanos(value.ttlNanos())))
                .build();
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "session:" + i;
            fncache.set(keys[i], CallSession.SAMPLE, 3600);
            map.put(keys[i], CallSession.encode(CallSession.SAMPLE));
            caffeine.put(keys[i], new Timed(CallSession.encode(CallSession.SAMPLE), TimeUnit.HOURS.toNanos(1)));
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        fncache.close();
    }

    private String anyKey() {
        return keys[ThreadLocalRandom.current().nextInt(KEYS)];
    }

    @Benchmark
    public CallSession fncacheGet() {
        return fncache.get(anyKey(), CallSession.class);
    }

    @Benchmark
    public CallSession mapGet() {
        return CallSession.decode(map.get(anyKey()));
    }

    @Benchmark
    public CallSession caffeineGet() {
        return CallSession.decode(caffeine.getIfPresent(anyKey()).json());
    }

    @Benchmark
    public void fncacheSet() {
        fncache.set(anyKey(), CallSession.SAMPLE, 3600);
    }

    @Benchmark
    public void mapSet() {
        map.put(anyKey(), CallSession.encode(CallSession.SAMPLE));
    }

    @Benchmark
    public void caffeineSet() {
        caffeine.put(anyKey(), new Timed(CallSession.encode(CallSession.SAMPLE), TimeUnit.HOURS.toNanos(1)));
    }
}
