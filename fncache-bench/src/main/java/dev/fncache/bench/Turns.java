package dev.fncache.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The order in which the sides of an interleaved benchmark take turns, one JMH iteration each:
 * parsed from the benchmark's {@code sides} parameter (names from its list of all sides), then
 * cycled. See {@link Interleaved}.
 */
final class Turns {
    private final int[] order;
    private int turn = -1;

    Turns(String sides, List<String> allSides) {
        order = Arrays.stream(sides.split(",")).mapToInt(name -> {
            int side = allSides.indexOf(name.trim());
            if (side < 0) {
                throw new IllegalArgumentException("sides must be names from " + allSides + ", but one was '" + name + "'");
            }
            return side;
        }).toArray();
    }

    /**
     * Runs each side on the setup thread for {@code millisPerSide}, twice over, so the JIT has
     * compiled every side before many benchmark threads compete with the compiler for 2 cores
     * (without it, 16-thread runs were still getting faster after 10 seconds).
     */
    void prime(long millisPerSide, IntConsumer oneCallOfSide) {
        for (int pass = 0; pass < 2; pass++) {
            for (int side : order) {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millisPerSide);
                while (System.nanoTime() < end) {
                    oneCallOfSide.accept(side);
                }
            }
        }
    }

    /** The side the next iteration measures. */
    int next() {
        turn = (turn + 1) % order.length;
        return order[turn];
    }
}
