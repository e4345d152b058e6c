package dev.fncache.bench;

import java.util.ArrayList;
import java.util.List;

/** One comparison's ratios to its baseline, one per round, and what a row reports of them. */
record RoundRatios(String name, List<Double> perRound) {

    double median() {
        return median(perRound);
    }

    double min() {
        return perRound.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return perRound.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
