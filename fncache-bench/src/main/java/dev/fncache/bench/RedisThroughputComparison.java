package dev.fncache.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * fncache's Redis backend under many callers: {@code get}, {@code set} and {@code getMany(100)}
 * on 1, 4 and 16 threads sharing one cache, against raw Lettuce on one shared connection with the
 * same Jackson encoding, each pair in alternating rounds.
 * <pre>java -cp fncache-bench/target/fncache-benchmarks.jar dev.fncache.bench.RedisThroughputComparison [ROUNDS]</pre>
 */
public final class RedisThroughputComparison {
    private RedisThroughputComparison() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String[][] pairs = {{"Get", "rawGet", ">= 0.9"}, {"Set", "rawSet", ">= 0.7"}, {"GetMany100", "rawMget100", ">= 0.9"}};
        Path data = Files.createTempDirectory("fncache-redis-throughput");
        try (BenchRedis redis = BenchRedis.startIfInstalled(data)) {
            if (redis == null) {
                System.out.println("redis-server is not installed; nothing to measure");
                return;
            }
            List<String> jvm = List.of("-D" + BenchRedis.URL_PROPERTY + "=" + redis.serverUrl());
            StringBuilder table = new StringBuilder("| operation | threads | vs raw Lettuce: median | min-max over "
                    + rounds + " rounds | target |\n|---|---:|---:|---:|---|\n");
            for (int threads : new int[] {1, 4, 16}) {
                for (String[] pair : pairs) {
                    String candidate = "RedisBenchmark.fncache" + pair[0] + "@" + threads;
                    Map<String, AlternatingRounds.Ratios> ratios = new AlternatingRounds(
                            "RedisBenchmark." + pair[1] + "@" + threads, List.of(candidate), jvm, Map.of()).run(rounds);
                    AlternatingRounds.Ratios r = ratios.get(candidate);
                    table.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f-%.2f | %s |%n",
                            pair[0], threads, r.median(), r.min(), r.max(), pair[2]));
                }
            }
            System.out.println();
            System.out.print(table);
        }
    }
}
