package dev.fncache.bench.harness;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The state every interleaved benchmark shares: which side the current JMH iteration measures.
 * The sides come from the benchmark's {@code sides} parameter (names from its list of all sides),
 * one per iteration, in rounds that go forth and back (A B C, C B A, A B C, ...; see {@link
 * #positionInRound}); {@link #turn()} does one call of the current side. See {@link Interleaved}.
 */
public abstract class InterleavedState<S extends Enum<S>> {
    /** The side this iteration measures. */
    protected S side;
    private S[] order;
    private int iteration = -1;

    /** One call of the current side; the benchmark method. */
    public abstract Object turn() throws Exception;

    /** Takes the turn order from {@code sides}, a comma-separated list of names of {@code type}'s constants. */
    protected final void takeTurns(String sides, Class<S> type) {
        S[] all = type.getEnumConstants();
        order = Arrays.stream(sides.split(",")).map(name -> Arrays.stream(all).filter(s -> s.name().equals(name.trim()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("sides must be names from "
                        + Arrays.toString(all) + ", but one was '" + name + "'")))
                .toArray(n -> Arrays.copyOf(all, n));
    }

    /**
     * Runs each side on the setup thread for {@code millisPerSide}, twice over, so the JIT has
     * compiled every side before many benchmark threads compete with the compiler for 2 cores
     * (without it, 16-thread runs were still getting faster after 10 seconds).
     */
    protected final void primeEverySide(long millisPerSide) throws Exception {
        for (int pass = 0; pass < 2; pass++) {
            for (S next : order) {
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
        iteration++;
        side = order[positionInRound(iteration, order.length)];
    }

    /**
     * Which of {@code sides} sides (by its place in the {@code sides} parameter) iteration {@code
     * iteration} measures, counting warm-up iterations from 0. Odd rounds run backwards, so over
     * two rounds every side goes first as often as last, and whatever favours the first or the
     * last turn of a round (an I/O thread still parked, the previous side's garbage) cancels out
     * of the median instead of tilting every ratio the same way.
     */
    public static int positionInRound(long iteration, int sides) {
        int position = (int) (iteration % sides);
        return (iteration / sides) % 2 == 0 ? position : sides - 1 - position;
    }
}
