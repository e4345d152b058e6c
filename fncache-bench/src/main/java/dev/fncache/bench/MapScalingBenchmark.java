package dev.fncache.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The reference for {@link GetScalingBenchmark}: a plain ConcurrentHashMap of JSON bytes read at
 * 10,000 and 1,000,000 keys, so the cost of a larger working set on this machine (cache and TLB
 * misses) shows apart from anything fncache adds.
 */
@State(Scope.Benchmark)
public class MapScalingBenchmark {
    @Param({"10000", "1000000"})
    public int storedKeys;

    ConcurrentHashMap<String, byte[]> map;

    @Setup(Level.Trial)
    public void fill() {
        map = new ConcurrentHashMap<>();
        for (int i = 0; i < storedKeys; i++) {
            map.put(ScalingData.bigKey(i), CallSession.encode(CallSession.SAMPLE));
        }
        ScalingData.settleHeap();
    }

    @Benchmark
    public CallSession get() {
        return CallSession.decode(map.get(ScalingData.bigKey(ThreadLocalRandom.current().nextInt(storedKeys))));
    }
}
