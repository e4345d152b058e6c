package dev.fncache.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs an interleaved benchmark: a JMH benchmark whose state holds every side of a comparison
 * (fncache and its baselines) and switches side at each iteration. All sides live in one fork and
 * take turns in short rounds that go forth and back (A B, B A, A B, ...; {@link
 * InterleavedState#positionInRound}), so a drift of a shared machine, a collection or a
 * neighbour's burst hits them alike; each round gives one ratio, and a row reports the median
 * ratio over the rounds of all its forks with its spread. Each side's calls are a method the JIT
 * may not inline into the benchmark method, so every side is compiled on its own, with its own
 * inlining budget and profile, whatever other sides share the fork.
 */
public final class Interleaved {

    /**
     * How long each side runs per warm-up turn and per measured turn, how many rounds of each, and
     * in how many forks: the warm-up turns are longer, because on 2 cores the JIT compiles Jackson
     * and the drivers for several seconds while the benchmark threads compete for the same cores;
     * several forks, because two forks of the same code can settle on different compiled code, and
     * the rounds of one fork share its luck.
     */
    public record Timing(int warmupMillis, int warmupRounds, int iterationMillis, int measuredRounds, int forks) {
        public int rounds() {
            return measuredRounds * forks;
        }
    }

    /**
     * One fork: benchmark {@code Class.method}, its fixed {@code @Param}s, thread count, and the
     * sides that take turns, in order (passed as the benchmark's {@code sides} parameter).
     */
    public record Fork(String benchmark, Map<String, String> params, int threads, List<String> sides) {
        public Fork {
            params = new TreeMap<>(params);
        }

        /** A fork whose sides are constants of the benchmark's side enum, in turn order. */
        public static Fork of(String benchmark, Map<String, String> params, int threads, Enum<?>... sides) {
            return new Fork(benchmark, params, threads, Arrays.stream(sides).map(Enum::name).toList());
        }

        public String label() {
            String paramText = params.isEmpty() ? "" : params.toString().replace("{", "[").replace("}", "]").replace(", ", ",");
            return benchmark + paramText + "@" + threads;
        }
    }

    /**
     * A fork's measured iterations over all its runs, split by side: {@code scores.get(side).get(round)}
     * in ops/s, the rounds of each run one after the other.
     */
    public record Measured(Fork fork, Map<String, List<Double>> scores, RunResult raw) {
        public RoundRatios ratios(String side, String baseline) {
            List<Double> ours = scores.get(side);
            List<Double> theirs = scores.get(baseline);
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < ours.size(); round++) {
                ratios.add(ours.get(round) / theirs.get(round));
            }
            return new RoundRatios(side + " vs " + baseline, ratios);
        }
    }

    private Interleaved() {
    }

    public static Measured run(Fork fork, Timing timing, List<String> jvmArguments) throws RunnerException {
        int sides = fork.sides().size();
        OptionsBuilder options = new OptionsBuilder();
        fork.params().forEach(options::param);
        options.param("sides", String.join(",", fork.sides()));
        Collection<RunResult> results = new Runner(options
                .include("\\." + fork.benchmark().replace(".", "\\.") + "$")
                .threads(fork.threads())
                .forks(timing.forks())
                .warmupIterations(timing.warmupRounds() * sides)
                .warmupTime(TimeValue.milliseconds(timing.warmupMillis()))
                .measurementIterations(timing.measuredRounds() * sides)
                .measurementTime(TimeValue.milliseconds(timing.iterationMillis()))
                .jvmArgsAppend(jvmArguments.toArray(new String[0]))
                .shouldFailOnError(true)
                .build()).run();
        if (results.size() != 1) {
            throw new IllegalStateException(fork.label() + " matched " + results.size() + " benchmarks, expected exactly 1");
        }
        RunResult result = results.iterator().next();
        Map<String, List<Double>> scores = new TreeMap<>();
        fork.sides().forEach(side -> scores.put(side, new ArrayList<>()));
        for (BenchmarkResult benchmark : result.getBenchmarkResults()) {
            long iteration = (long) timing.warmupRounds() * sides;
            for (IterationResult measured : benchmark.getIterationResults()) {
                String side = fork.sides().get(InterleavedState.positionInRound(iteration++, sides));
                scores.get(side).add(measured.getPrimaryResult().getScore());
            }
        }
        return new Measured(fork, scores, result);
    }
}
