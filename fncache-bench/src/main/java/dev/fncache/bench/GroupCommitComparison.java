package dev.fncache.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What SQLite group commit gives durable writers: fncache {@code set} with synchronous=FULL on 4
 * and 16 threads of one process against 1 thread, and fncache on 1 thread against raw
 * sqlite-jdbc on 1 thread (what a batch costs a lone writer), in alternating rounds.
 * <pre>java -cp fncache-bench/target/fncache-benchmarks.jar dev.fncache.bench.GroupCommitComparison [ROUNDS]</pre>
 */
public final class GroupCommitComparison {
    private GroupCommitComparison() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<String, String> full = Map.of("synchronous", "full");
        Map<String, AlternatingRounds.Ratios> scaling = new AlternatingRounds("SqliteBenchmark.fncacheSet@1",
                List.of("SqliteBenchmark.fncacheSet@4", "SqliteBenchmark.fncacheSet@16", "SqliteBenchmark.rawSet@1"),
                List.of(), full).run(rounds);
        System.out.println();
        System.out.println("| durable set (synchronous=FULL) | vs fncache on 1 thread: median | min-max over " + rounds + " rounds |");
        System.out.println("|---|---:|---:|");
        scaling.values().forEach(r -> System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f-%.2f |%n",
                r.benchmark(), r.median(), r.min(), r.max()));
    }
}
