package dev.fncache.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One comparison's ratios to its baseline, one per round, and what a row reports of them: the
 * median, and a bootstrap 95% confidence interval of the median that decides the verdict.
 */
public record RoundRatios(String name, List<Double> perRound) {
    /** Resamples of the rounds for the interval; the seed is fixed, so a table can be reproduced from its JSON. */
    public static final int RESAMPLES = 10_000;
    private static final long SEED = 0x5eed_f0cacL;

    /** What the interval says of a target: above it, below it, or across it. */
    public enum Verdict {
        MEETS("meets"), MISSES("MISSES"), UNDECIDED("undecided");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        /** How the table prints it. */
        public String text() {
            return text;
        }
    }

    /** A percentile bootstrap interval of the median. */
    public record Interval(double low, double high) {
    }

    public double median() {
        return median(perRound);
    }

    public double min() {
        return perRound.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
        return perRound.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /**
     * The 2.5th and 97.5th percentiles of the medians of {@value #RESAMPLES} resamples of the
     * rounds, drawn with replacement.
     */
    public Interval interval() {
        int n = perRound.size();
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] medians = new double[RESAMPLES];
        double[] sample = new double[n];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < n; i++) {
                sample[i] = perRound.get(random.nextInt(n));
            }
            java.util.Arrays.sort(sample);
            medians[r] = n % 2 == 1 ? sample[n / 2] : (sample[n / 2 - 1] + sample[n / 2]) / 2;
        }
        java.util.Arrays.sort(medians);
        return new Interval(medians[(int) Math.floor(0.025 * (RESAMPLES - 1))], medians[(int) Math.ceil(0.975 * (RESAMPLES - 1))]);
    }

    /** Meets when the whole interval lies at or above {@code target}, misses when below it, else undecided. */
    public Verdict verdict(double target) {
        Interval interval = interval();
        if (interval.low() >= target) {
            return Verdict.MEETS;
        }
        return interval.high() < target ? Verdict.MISSES : Verdict.UNDECIDED;
    }

    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
