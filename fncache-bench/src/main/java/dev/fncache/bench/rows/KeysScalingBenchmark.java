package dev.fncache.bench.rows;

import dev.fncache.bench.harness.Interleaved;
import dev.fncache.bench.harness.InterleavedState;
import dev.fncache.bench.fixtures.ScalingData;
import dev.fncache.FunctionCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code keys("session:*")} over 1,000 matching keys in a store where another namespace holds
 * 1,000,000 keys ({@code MILLION_OTHER_KEYS}) against one where it holds none ({@code NO_OTHER_KEYS}), both open in the same JVM
 * and taking turns (see {@link Interleaved}).
 */
@State(Scope.Benchmark)
public class KeysScalingBenchmark extends InterleavedState<KeysScalingBenchmark.Side> {
    /** How many keys another namespace holds beside the one a turn lists. */
    public enum Side {
        MILLION_OTHER_KEYS(1_000_000), NO_OTHER_KEYS(0);

        final int otherNamespaceKeys;

        Side(int otherNamespaceKeys) {
            this.otherNamespaceKeys = otherNamespaceKeys;
        }
    }


    @Param({"memory", "sqlite", "redis"})
    public String backend;

    @Param("MILLION_OTHER_KEYS,NO_OTHER_KEYS")
    public String sides;

    final FunctionCache[] caches = new FunctionCache[2];

    @Setup(Level.Trial)
    public void open() throws Exception {
        takeTurns(sides, Side.class);
        for (int s = 0; s < 2; s++) {
            caches[s] = ScalingData.open(backend, Side.values()[s].otherNamespaceKeys, ScalingData.SMALL);
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
        return caches[side.ordinal()].keys("session:*");
    }
}
