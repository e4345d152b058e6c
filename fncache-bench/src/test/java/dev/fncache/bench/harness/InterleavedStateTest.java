package dev.fncache.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InterleavedStateTest {

    private static List<Integer> round(int round, int sides) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < sides; i++) {
            positions.add(InterleavedState.positionInRound((long) round * sides + i, sides));
        }
        return positions;
    }

    @Test
    void roundsGoForthAndBack() {
        assertEquals(List.of(0, 1, 2), round(0, 3));
        assertEquals(List.of(2, 1, 0), round(1, 3));
        assertEquals(List.of(0, 1, 2), round(2, 3));
        assertEquals(List.of(1, 0), round(5, 2));
    }

    @Test
    void everySideTakesExactlyOneTurnPerRoundAndOpensAsOftenAsItCloses() {
        for (int sides = 1; sides <= 8; sides++) {
            int[] opens = new int[sides];
            int[] closes = new int[sides];
            for (int r = 0; r < 10; r++) {
                List<Integer> positions = round(r, sides);
                assertEquals(IntStream.range(0, sides).boxed().toList(), positions.stream().sorted().toList());
                opens[positions.get(0)]++;
                closes[positions.get(sides - 1)]++;
            }
            if (sides > 1) {
                assertEquals(5, opens[0]);
                assertEquals(5, closes[0]);
                assertEquals(5, opens[sides - 1]);
            }
        }
    }
}
