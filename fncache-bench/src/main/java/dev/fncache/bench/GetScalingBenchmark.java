package dev.fncache.bench;

import dev.fncache.FunctionCache;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code get} of a random key from a namespace of 1,000,000 keys (side "1M") against one of
 * 10,000 keys (side "10k"), both open in the same JVM and taking turns (see {@link Interleaved}).
 * Backend {@code map} is the reference: a ConcurrentHashMap of JSON bytes, so the cost of a larger
 * working set on this machine (cache and TLB misses) shows apart from anything fncache adds.
 */
@State(Scope.Benchmark)
public class GetScalingBenchmark extends InterleavedState {
    static final List<String> SIDES = List.of("1M", "10k");
    static final int[] STORED_KEYS = {1_000_000, 10_000};

    @Param({"memory", "sqlite", "redis", "map"})
    public String backend;

    @Param("1M,10k")
    public String sides;

    final FunctionCache[] caches = new FunctionCache[2];
    final List<ConcurrentHashMap<String, byte[]>> maps = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());

    @Setup(Level.Trial)
    public void open() throws Exception {
        takeTurns(sides, SIDES);
        for (int s = 0; s < 2; s++) {
            if (backend.equals("map")) {
                for (int i = 0; i < STORED_KEYS[s]; i++) {
                    maps.get(s).put(ScalingData.bigKey(i), CallSession.encode(CallSession.SAMPLE));
                }
            } else {
                caches[s] = ScalingData.open(backend, STORED_KEYS[s], ScalingData.BIG);
            }
        }
        ScalingData.settleHeap();
    }

    @TearDown(Level.Trial)
    public void close() {
        for (FunctionCache cache : caches) {
            if (cache != null) {
                cache.close();
            }
        }
    }

    @Benchmark
    @Override
    public Object turn() {
        String key = ScalingData.bigKey(ThreadLocalRandom.current().nextInt(STORED_KEYS[side]));
        return caches[side] != null ? caches[side].get(key, CallSession.class) : CallSession.decode(maps.get(side).get(key));
    }
}
