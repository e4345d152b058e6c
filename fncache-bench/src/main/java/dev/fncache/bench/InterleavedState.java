package dev.fncache.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The state every interleaved benchmark shares: which side the current JMH iteration measures.
 * The order comes from the benchmark's {@code sides} parameter (names from its list of all
 * sides) and cycles one side per iteration; {@link #turn()} does one call of the current side.
 * See {@link Interleaved}.
 */
public abstract class InterleavedState {
    /** The side this iteration measures: an index into the benchmark's list of all sides. */
    protected int side;
    private int[] order;
    private int turn = -1;

    /** One call of the current side; the benchmark method. */
    public abstract Object turn() throws Exception;

    /** Takes the turn order from {@code sides}, a comma-separated list of names from {@code allSides}. */
    protected final void takeTurns(String sides, List<String> allSides) {
        order = Arrays.stream(sides.split(",")).mapToInt(name -> {
            int index = allSides.indexOf(name.trim());
            if (index < 0) {
                throw new IllegalArgumentException("sides must be names from " + allSides + ", but one was '" + name + "'");
            }
            return index;
        }).toArray();
    }

    /**
     * Runs each side on the setup thread for {@code millisPerSide}, twice over, so the JIT has
     * compiled every side before many benchmark threads compete with the compiler for 2 cores
     * (without it, 16-thread runs were still getting faster after 10 seconds).
     */
    protected final void primeEverySide(long millisPerSide) throws Exception {
        for (int pass = 0; pass < 2; pass++) {
            for (int next : order) {
                side = next;
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millisPerSide);
                while (System.nanoTime() < end) {
                    turn();
                }
            }
        }
    }

    @Setup(Level.Iteration)
    public final void nextSide() {
        turn = (turn + 1) % order.length;
        side = order[turn];
    }
}
