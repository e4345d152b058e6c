package dev.fncache.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheSerializationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CounterValueTest {

    private static long decode(String json) {
        return CounterValue.decode("k", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesJsonIntegerLiterals() {
        assertThat(decode("0")).isZero();
        assertThat(decode("-42")).isEqualTo(-42);
        assertThat(decode("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(decode("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void rejectsEverythingElse() {
        for (String json : new String[] {"", "-", "01", "+1", "1.0", "1e3", "\"1\"", " 1", "9223372036854775808", "true"}) {
            assertThatThrownBy(() -> decode(json)).as(json).isInstanceOf(CacheSerializationException.class);
        }
    }

    @Test
    void additionDetectsOverflowBothWays() {
        assertThat(CounterValue.add("k", Long.MAX_VALUE - 1, 1)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> CounterValue.add("k", Long.MAX_VALUE, 1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> CounterValue.add("k", Long.MIN_VALUE, -1)).isInstanceOf(ArithmeticException.class);
    }
}
