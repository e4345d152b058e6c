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

/** {@code keys("session:*")} over 1,000 matching keys while another namespace holds 0 or 1,000,000 keys. */
@State(Scope.Benchmark)
public class KeysScalingBenchmark {
    @Param({"memory", "sqlite", "redis"})
    public String backend;

    @Param({"0", "1000000"})
    public int otherNamespaceKeys;

    FunctionCache cache;

    @Setup(Level.Trial)
    public void open() throws Exception {
        cache = ScalingData.open(backend, otherNamespaceKeys, ScalingData.SMALL);
        int found = cache.keys("session:*").size();
        if (found != ScalingData.SMALL_MATCHING) {
            throw new IllegalStateException("expected " + ScalingData.SMALL_MATCHING + " session keys, found " + found);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        cache.close();
    }

    @Benchmark
    public List<String> keysWithPrefix() {
        return cache.keys("session:*");
    }
}
