package dev.fncache.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the atomic key index costs a Redis {@code set}, and which atomic form is cheapest: the
 * {@link RedisAtomicStepBenchmark} variants against a plain {@code SET PX}, in alternating rounds.
 * <pre>java -cp fncache-bench/target/fncache-benchmarks.jar dev.fncache.bench.AtomicStepComparison [ROUNDS]</pre>
 */
public final class AtomicStepComparison {
    private AtomicStepComparison() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path data = Files.createTempDirectory("fncache-atomic-step");
        try (BenchRedis redis = BenchRedis.startIfInstalled(data)) {
            if (redis == null) {
                System.out.println("redis-server is not installed; nothing to measure");
                return;
            }
            String bench = "RedisAtomicStepBenchmark.";
            Map<String, RoundRatios> ratios = new AlternatingRounds(bench + "plainSet",
                    List.of(bench + "pipelinedZaddAndSet", bench + "evalshaScript", bench + "fcallLibraryFunction",
                            bench + "fcallWithAnUnorderedSetIndex"),
                    List.of("-D" + BenchRedis.URL_PROPERTY + "=" + redis.serverUrl()), Map.of()).run(rounds);
            System.out.println();
            System.out.println("| set as | vs plain SET PX: median | min-max over " + rounds + " rounds |");
            System.out.println("|---|---:|---:|");
            ratios.values().forEach(r -> System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f-%.2f |%n",
                    r.name().substring(bench.length()), r.median(), r.min(), r.max()));
        }
    }
}
