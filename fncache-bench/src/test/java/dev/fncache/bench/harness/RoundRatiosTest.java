package dev.fncache.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The verdict rule: decided only when the median's bootstrap interval lies on one side of the target. */
class RoundRatiosTest {

    @Test
    void theIntervalHoldsTheMedianAndNarrowsWithMoreRounds() {
        Random random = new Random(7);
        List<Double> few = new ArrayList<>();
        List<Double> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double ratio = 1.0 + random.nextGaussian() * 0.1;
            if (i < 10) {
                few.add(ratio);
            }
            many.add(ratio);
        }
        RoundRatios.Interval wide = new RoundRatios("few", few).interval();
        RoundRatios.Interval narrow = new RoundRatios("many", many).interval();
        double median = new RoundRatios("few", few).median();
        assertTrue(wide.low() <= median && median <= wide.high(), "the median lies in its interval");
        assertTrue(narrow.high() - narrow.low() < wide.high() - wide.low(), "200 rounds give a narrower interval than 10");
    }

    @Test
    void aRowIsDecidedOnlyWhenItsIntervalLiesOnOneSideOfTheTarget() {
        RoundRatios steady = new RoundRatios("steady", List.of(1.10, 1.12, 1.09, 1.11, 1.10, 1.13, 1.08, 1.11));
        assertEquals(RoundRatios.Verdict.MEETS, steady.verdict(1.0));
        assertEquals(RoundRatios.Verdict.MISSES, steady.verdict(1.2));
        RoundRatios noisy = new RoundRatios("noisy", List.of(0.7, 1.4, 0.8, 1.3, 0.9, 1.2, 1.0, 1.1));
        assertEquals(RoundRatios.Verdict.UNDECIDED, noisy.verdict(1.0));
    }

    @Test
    void theIntervalIsTheSameEveryTimeForTheSameRounds() {
        List<Double> rounds = List.of(0.9, 1.0, 1.1, 0.95, 1.05);
        assertEquals(new RoundRatios("a", rounds).interval(), new RoundRatios("b", rounds).interval());
    }
}
