package dev.fncache.bench.harness;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Measures benchmarks against a baseline in alternating short rounds (baseline, A, B, ...,
 * baseline, A, B, ...), so a drift of a shared machine hits every side alike, and reports each
 * one's median ratio to the baseline of the same round, with the spread (min-max) over rounds.
 */
public final class AlternatingRounds {
    private final String baseline;
    private final List<String> benchmarks;
    private final List<String> jvmArguments;
    private final Map<String, String> parameters;

    /**
     * Benchmarks are JMH method names such as {@code RedisAtomicStepBenchmark.plainSet}, with
     * {@code @N} appended to run on N threads; {@code parameters} fix the benchmarks' {@code @Param}s.
     */
    public AlternatingRounds(String baseline, List<String> benchmarks, List<String> jvmArguments, Map<String, String> parameters) {
        this.baseline = baseline;
        this.benchmarks = benchmarks;
        this.jvmArguments = jvmArguments;
        this.parameters = parameters;
    }

    public Map<String, RoundRatios> run(int rounds) throws RunnerException {
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            double base = score(baseline);
            for (String benchmark : benchmarks) {
                ratios.computeIfAbsent(benchmark, b -> new ArrayList<>()).add(score(benchmark) / base);
            }
            System.out.printf(Locale.ROOT, "round %d of %d done%n", round, rounds);
        }
        Map<String, RoundRatios> result = new LinkedHashMap<>();
        ratios.forEach((benchmark, perRound) -> result.put(benchmark, new RoundRatios(benchmark, perRound)));
        return result;
    }

    /** One short JMH run of one benchmark in a fresh JVM: its mean throughput. */
    private double score(String benchmarkOnThreads) throws RunnerException {
        int at = benchmarkOnThreads.indexOf('@');
        String benchmark = at < 0 ? benchmarkOnThreads : benchmarkOnThreads.substring(0, at);
        int threads = at < 0 ? 1 : Integer.parseInt(benchmarkOnThreads.substring(at + 1));
        OptionsBuilder options = new OptionsBuilder();
        parameters.forEach(options::param);
        Collection<RunResult> results = new Runner(options
                .include("\\." + benchmark.replace(".", "\\.") + "$")
                .threads(threads)
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(jvmArguments.toArray(new String[0]))
                .shouldFailOnError(true)
                .build()).run();
        return results.iterator().next().getPrimaryResult().getScore();
    }
}
