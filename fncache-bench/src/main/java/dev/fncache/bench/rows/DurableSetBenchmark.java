package dev.fncache.bench.rows;

import dev.fncache.bench.fixtures.CallSession;
import dev.fncache.bench.fixtures.ScalingData;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable {@code set} on SQLite ({@code synchronous=full}): run on 1, 4 and 16 threads of one
 * process, it shows what group commit gives concurrent writers (see {@link GroupCommitComparison}).
 */
@State(Scope.Benchmark)
public class DurableSetBenchmark {
    static final int KEYS = 10_000;

    FunctionCache fncache;

    @Setup(Level.Trial)
    public void open() throws Exception {
        Path file = Files.createTempFile(ScalingData.dataDirectory(), "durable-set-", ".db");
        Files.delete(file);
        fncache = FunctionCaches.open("sqlite:" + file + "?synchronous=full", "bench");
    }

    @TearDown(Level.Trial)
    public void close() {
        fncache.close();
    }

    @Benchmark
    public void set() {
        fncache.set("session:" + ThreadLocalRandom.current().nextInt(KEYS), CallSession.SAMPLE, 3600);
    }
}
