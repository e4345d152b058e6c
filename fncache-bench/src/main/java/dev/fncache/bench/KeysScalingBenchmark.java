package dev.fncache.bench;

import dev.fncache.FunctionCache;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code keys("session:*")} over 1,000 matching keys in a store where another namespace holds
 * 1,000,000 keys (side "1M") against one where it holds none (side "0"), both open in the same JVM
 * and taking turns (see {@link Interleaved}).
 */
@State(Scope.Benchmark)
public class KeysScalingBenchmark extends InterleavedState {
    static final List<String> SIDES = List.of("1M", "0");
    static final int[] OTHER_NAMESPACE_KEYS = {1_000_000, 0};

    @Param({"memory", "sqlite", "redis"})
    public String backend;

    @Param("1M,0")
    public String sides;

    final FunctionCache[] caches = new FunctionCache[2];

    @Setup(Level.Trial)
    public void open() throws Exception {
        takeTurns(sides, SIDES);
        for (int s = 0; s < 2; s++) {
            caches[s] = ScalingData.open(backend, OTHER_NAMESPACE_KEYS[s], ScalingData.SMALL);
            int found = caches[s].keys("session:*").size();
            if (found != ScalingData.SMALL_MATCHING) {
                throw new IllegalStateException("expected " + ScalingData.SMALL_MATCHING + " session keys, found " + found);
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        for (FunctionCache cache : caches) {
            cache.close();
        }
    }

    @Benchmark
    @Override
    public Object turn() {
        return caches[side].keys("session:*");
    }
}
