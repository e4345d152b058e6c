package dev.fncache.bench.rows;

import dev.fncache.bench.harness.Interleaved;
import dev.fncache.bench.harness.InterleavedState;
import dev.fncache.bench.fixtures.CallSession;
import dev.fncache.bench.fixtures.ScalingData;
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
 * {@code get} of a random key from a namespace of 1,000,000 keys (side {@code MILLION_KEYS}) against one of
 * 10,000 keys ({@code TEN_THOUSAND_KEYS}), both open in the same JVM and taking turns (see {@link Interleaved}).
 * Backend {@code map} is the reference: a ConcurrentHashMap of JSON bytes, so the cost of a larger
 * working set on this machine (cache and TLB misses) shows apart from anything fncache adds.
 */
@State(Scope.Benchmark)
public class GetScalingBenchmark extends InterleavedState<GetScalingBenchmark.Side> {
    /** The namespace a turn reads from. */
    public enum Side {
        MILLION_KEYS(1_000_000), TEN_THOUSAND_KEYS(10_000);

        final int storedKeys;

        Side(int storedKeys) {
            this.storedKeys = storedKeys;
        }
    }


    @Param({"memory", "sqlite", "redis", "map"})
    public String backend;

    @Param("MILLION_KEYS,TEN_THOUSAND_KEYS")
    public String sides;

    final FunctionCache[] caches = new FunctionCache[2];
    final List<ConcurrentHashMap<String, byte[]>> maps = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());

    @Setup(Level.Trial)
    public void open() throws Exception {
        takeTurns(sides, Side.class);
        for (int s = 0; s < 2; s++) {
            if (backend.equals("map")) {
                for (int i = 0; i < Side.values()[s].storedKeys; i++) {
                    maps.get(s).put(ScalingData.bigKey(i), CallSession.encode(CallSession.SAMPLE));
                }
            } else {
                caches[s] = ScalingData.open(backend, Side.values()[s].storedKeys, ScalingData.BIG);
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
        int s = side.ordinal();
        String key = ScalingData.bigKey(ThreadLocalRandom.current().nextInt(side.storedKeys));
        return caches[s] != null ? caches[s].get(key, CallSession.class) : CallSession.decode(maps.get(s).get(key));
    }
}
