package dev.fncache.bench;

import dev.fncache.FunctionCache;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** {@code get} of a random key from a namespace of 10,000 versus 1,000,000 keys. */
@State(Scope.Benchmark)
public class GetScalingBenchmark {
    @Param({"memory", "sqlite", "redis"})
    public String backend;

    @Param({"10000", "1000000"})
    public int storedKeys;

    FunctionCache cache;

    @Setup(Level.Trial)
    public void open() throws Exception {
        cache = ScalingData.open(backend, storedKeys, ScalingData.BIG);
    }

    @TearDown(Level.Trial)
    public void close() {
        cache.close();
    }

    @Benchmark
    public CallSession get() {
        return cache.get(ScalingData.bigKey(ThreadLocalRandom.current().nextInt(storedKeys)), CallSession.class);
    }
}
