package dev.fncache.bench.rows;

import dev.fncache.bench.harness.AlternatingRounds;
import dev.fncache.bench.harness.RoundRatios;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What SQLite group commit gives durable writers: fncache {@code set} with synchronous=full on 4
 * and 16 threads of one process against 1 thread. Thread counts cannot share a JMH fork, so each
 * round runs the three in fresh forks, one after the other ({@link AlternatingRounds}).
 * <pre>java -cp fncache-bench/target/fncache-benchmarks.jar dev.fncache.bench.GroupCommitComparison [ROUNDS]</pre>
 */
public final class GroupCommitComparison {
    static final String ONE_WRITER = "DurableSetBenchmark.set@1";
    static final List<String> MANY_WRITERS = List.of("DurableSetBenchmark.set@4", "DurableSetBenchmark.set@16");

    private GroupCommitComparison() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<String, RoundRatios> scaling = measure(rounds, List.of());
        System.out.println();
        System.out.println("| durable set (synchronous=full) | vs 1 thread: median | min-max over " + rounds + " rounds |");
        System.out.println("|---|---:|---:|");
        scaling.values().forEach(r -> System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f-%.2f |%n",
                r.name(), r.median(), r.min(), r.max()));
    }

    public static Map<String, RoundRatios> measure(int rounds, List<String> jvmArguments) throws Exception {
        return new AlternatingRounds(ONE_WRITER, MANY_WRITERS, jvmArguments, Map.of()).run(rounds);
    }
}
