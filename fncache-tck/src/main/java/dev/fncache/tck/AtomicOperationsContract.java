package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheSerializationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** CONTRACT rules 9 (increment) and 10 (setIfAbsent), single-threaded; see ConcurrencyContract for races. */
public abstract class AtomicOperationsContract extends ContractSupport {

    @Test
    void incrementOfAnAbsentKeyStoresDeltaWithTheGivenTtl() {
        assertThat(cache.increment("hits", 3, 120)).isEqualTo(3);
        assertThat(cache.get("hits", Long.class)).isEqualTo(3L);
        assertRemaining(cache, "hits", Duration.ofSeconds(120));
    }

    @Test
    void incrementOfAPresentCounterAddsAndKeepsItsTtl() {
        assumeInjectedClock();
        cache.increment("hits", 1, 100);
        advance(Duration.ofSeconds(40));
        assertThat(cache.increment("hits", 1, 999)).isEqualTo(2);
        assertThat(cache.ttl("hits")).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void incrementOnAServerClockKeepsTheFirstTtl() {
        cache.increment("hits", 1, 100);
        assertThat(cache.increment("hits", 1, 5_000)).isEqualTo(2);
        assertRemaining(cache, "hits", Duration.ofSeconds(100));
    }

    @Test
    void incrementAddsToAnIntegerStoredWithSet() {
        cache.set("n", 40, 60);
        assertThat(cache.increment("n", 2, 60)).isEqualTo(42);
        assertThat(cache.get("n", Integer.class)).isEqualTo(42);
    }

    @Test
    void incrementAcceptsNegativeAndZeroDeltas() {
        assertThat(cache.increment("n", -5, 60)).isEqualTo(-5);
        assertThat(cache.increment("n", 0, 60)).isEqualTo(-5);
        assertThat(cache.increment("n", 7, 60)).isEqualTo(2);
    }

    @Test
    void incrementReachesTheLongBoundsExactly() {
        cache.set("n", Long.MAX_VALUE - 1, 60);
        assertThat(cache.increment("n", 1, 60)).isEqualTo(Long.MAX_VALUE);
        cache.set("m", Long.MIN_VALUE + 1, 60);
        assertThat(cache.increment("m", -1, 60)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void incrementOfANonIntegerFailsAndChangesNothing() {
        cache.set("text", "ten", 60);
        cache.set("fraction", 1.5, 60);
        cache.set("object", new Session("+4670", null), 60);
        for (String key : new String[] {"text", "fraction", "object"}) {
            assertThatThrownBy(() -> cache.increment(key, 1, 60))
                    .isInstanceOf(CacheSerializationException.class)
                    .hasMessageContaining("'" + key + "'")
                    .hasMessageContaining("not an integer");
        }
        assertThat(cache.get("text", String.class)).isEqualTo("ten");
        assertThat(cache.get("fraction", Double.class)).isEqualTo(1.5);
        assertRemaining(cache, "text", Duration.ofSeconds(60));
    }

    @Test
    void incrementBeyondTheLongRangeFailsAndChangesNothing() {
        cache.set("n", Long.MAX_VALUE, 60);
        assertThatThrownBy(() -> cache.increment("n", 1, 60))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("'n'")
                .hasMessageContaining("overflow");
        assertThat(cache.get("n", Long.class)).isEqualTo(Long.MAX_VALUE);
        cache.set("m", Long.MIN_VALUE, 60);
        assertThatThrownBy(() -> cache.increment("m", -1, 60)).isInstanceOf(ArithmeticException.class);
        assertThat(cache.get("m", Long.class)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void incrementOfAnIntegerTooLargeForALongFailsAndChangesNothing() {
        cache.set("big", new java.math.BigInteger("123456789012345678901234567890"), 60);
        assertThatThrownBy(() -> cache.increment("big", 1, 60)).isInstanceOf(CacheSerializationException.class);
        assertThat(cache.get("big", java.math.BigInteger.class))
                .isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
    }

    @Test
    void incrementRejectsATtlOutsideTheBounds() {
        assertThatThrownBy(() -> cache.increment("n", 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttlSeconds must be between 1 and 315360000 (10 years), but was 0");
        assertThat(cache.has("n")).isFalse();
    }

    @Test
    void setIfAbsentStoresWhenAbsent() {
        assertThat(cache.setIfAbsent("lock", "owner-1", 30)).isTrue();
        assertThat(cache.get("lock", String.class)).isEqualTo("owner-1");
        assertRemaining(cache, "lock", Duration.ofSeconds(30));
    }

    @Test
    void setIfAbsentLeavesAPresentValueAndTtlUntouched() {
        cache.set("lock", "owner-1", 30);
        assertThat(cache.setIfAbsent("lock", "owner-2", 300)).isFalse();
        assertThat(cache.get("lock", String.class)).isEqualTo("owner-1");
        assertRemaining(cache, "lock", Duration.ofSeconds(30));
    }

    @Test
    void setIfAbsentSucceedsAgainAfterDelete() {
        cache.setIfAbsent("lock", "owner-1", 30);
        cache.delete("lock");
        assertThat(cache.setIfAbsent("lock", "owner-2", 30)).isTrue();
        assertThat(cache.get("lock", String.class)).isEqualTo("owner-2");
    }
}
