package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT rules 4 (TTL bounds), 5 (exact expiry for every operation) and 6 (extend). The
 * clock-driven tests need a backend that obeys the injected clock; the real-time ones run
 * everywhere with TTLs of one second.
 */
public abstract class ExpiryContract extends ContractSupport {

    private void setTenSecondsThenReachExpiry(String key) {
        assumeInjectedClock();
        cache.set(key, 7, 10);
        advance(Duration.ofMillis(10_000));
    }

    @Test
    void keyIsLiveUntilTheLastMillisecondBeforeItsExpiry() {
        assumeInjectedClock();
        cache.set("k", "v", 10);
        advance(Duration.ofMillis(9_999));
        assertThat(cache.get("k", String.class)).isEqualTo("v");
        assertThat(cache.has("k")).isTrue();
        assertThat(cache.ttl("k")).isEqualTo(Duration.ofMillis(1));
        assertThat(cache.keys()).containsExactly("k");
    }

    @Test
    void expiredKeyIsAbsentForGetHasAndTtl() {
        setTenSecondsThenReachExpiry("k");
        assertThat(cache.get("k", Integer.class)).isNull();
        assertThat(cache.has("k")).isFalse();
        assertThat(cache.ttl("k")).isNull();
    }

    @Test
    void expiredKeyIsLeftOutOfGetMany() {
        setTenSecondsThenReachExpiry("k");
        cache.set("live", 1, 60);
        assertThat(cache.getMany(List.of("k", "live"), Integer.class)).containsOnlyKeys("live");
    }

    @Test
    void expiredKeyIsNotListedByKeysOrPatterns() {
        setTenSecondsThenReachExpiry("session:1");
        cache.set("session:2", 2, 60);
        assertThat(cache.keys()).containsExactly("session:2");
        assertThat(cache.keys("session:*")).containsExactly("session:2");
        assertThat(cache.keys("session:1")).isEmpty();
    }

    @Test
    void expiredKeyCannotBeExtendedOrDeleted() {
        setTenSecondsThenReachExpiry("k");
        assertThat(cache.extend("k", 100)).isFalse();
        assertThat(cache.has("k")).isFalse();
        assertThat(cache.delete("k")).isFalse();
    }

    @Test
    void incrementTreatsAnExpiredKeyAsMissing() {
        setTenSecondsThenReachExpiry("k");
        assertThat(cache.increment("k", 5, 30)).isEqualTo(5);
        assertThat(cache.ttl("k")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void setIfAbsentTreatsAnExpiredKeyAsMissing() {
        setTenSecondsThenReachExpiry("k");
        assertThat(cache.setIfAbsent("k", 9, 30)).isTrue();
        assertThat(cache.get("k", Integer.class)).isEqualTo(9);
        assertThat(cache.ttl("k")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void getOrSetTreatsAnExpiredKeyAsMissing() {
        setTenSecondsThenReachExpiry("k");
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.getOrSet("k", Integer.class, 30, () -> loads.incrementAndGet() + 40)).isEqualTo(41);
        assertThat(loads).hasValue(1);
    }

    @Test
    void anotherInstanceSeesTheSameExpiry() {
        assumeInjectedClock();
        cache.set("k", "v", 10);
        var other = open(namespace);
        advance(Duration.ofMillis(9_999));
        assertThat(other.has("k")).isTrue();
        advance(Duration.ofMillis(1));
        assertThat(other.has("k")).isFalse();
    }

    @Test
    void durationTtlKeepsMillisecondPrecision() {
        assumeInjectedClock();
        cache.set("k", "v", Duration.ofMillis(1_500));
        assertThat(cache.ttl("k")).isEqualTo(Duration.ofMillis(1_500));
        advance(Duration.ofMillis(1_499));
        assertThat(cache.has("k")).isTrue();
        advance(Duration.ofMillis(1));
        assertThat(cache.has("k")).isFalse();
    }

    @Test
    void everyDurationOverloadKeepsMilliseconds() {
        assertThat(cache.setIfAbsent("lock", "w1", Duration.ofMillis(1_500))).isTrue();
        assertThat(cache.setIfAbsent("lock", "w2", Duration.ofMillis(1_500))).isFalse();
        assertRemaining(cache, "lock", Duration.ofMillis(1_500));
        assertThat(cache.increment("counter", 2, Duration.ofMillis(2_500))).isEqualTo(2);
        assertRemaining(cache, "counter", Duration.ofMillis(2_500));
        assertThat(cache.extend("counter", Duration.ofMillis(1_250))).isTrue();
        assertRemaining(cache, "counter", Duration.ofMillis(3_750));
        assertThat(cache.extend("absent", Duration.ofSeconds(5))).isFalse();
        assertThatThrownBy(() -> cache.extend("counter", Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration must be between PT1S");
        assertThatThrownBy(() -> cache.increment("counter", 1, (Duration) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must not be null");
        assertRemaining(cache, "counter", Duration.ofMillis(3_750));
    }

    @Test
    void durationTtlBelowOneMillisecondPrecisionIsTruncated() {
        assumeInjectedClock();
        cache.set("k", "v", Duration.ofMillis(2_000).plusNanos(999_999));
        assertThat(cache.ttl("k")).isEqualTo(Duration.ofMillis(2_000));
    }

    @Test
    void ttlBoundsOfOneSecondAndTenYearsAreAccepted() {
        cache.set("short", "v", 1);
        cache.set("long", "v", 315_360_000);
        cache.set("shortDuration", "v", Duration.ofSeconds(1));
        cache.set("longDuration", "v", Duration.ofSeconds(315_360_000));
        assertRemaining(cache, "long", Duration.ofSeconds(315_360_000));
        assertRemaining(cache, "longDuration", Duration.ofSeconds(315_360_000));
    }

    @Test
    void extendAddsToTheRemainingLifetime() {
        assumeInjectedClock();
        cache.set("k", "v", 100);
        advance(Duration.ofSeconds(90));
        assertThat(cache.extend("k", 300)).isTrue();
        assertThat(cache.ttl("k")).isEqualTo(Duration.ofSeconds(310));
        assertThat(cache.get("k", String.class)).isEqualTo("v");
    }

    @Test
    void extendOnAServerClockAddsToTheRemainingLifetime() {
        cache.set("k", "v", 10);
        assertThat(cache.extend("k", 300)).isTrue();
        assertRemaining(cache, "k", Duration.ofSeconds(310));
    }

    @Test
    void extendOfAnAbsentKeyIsFalseAndCreatesNothing() {
        assertThat(cache.extend("missing", 10)).isFalse();
        assertThat(cache.has("missing")).isFalse();
    }

    @Test
    void extendMayReachButNotPassTenYears() {
        assumeInjectedClock();
        cache.set("k", "v", 315_360_000 - 100);
        assertThatThrownBy(() -> cache.extend("k", 101))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seconds")
                .hasMessageContaining("315360000")
                .hasMessageContaining("101");
        assertThat(cache.ttl("k")).isEqualTo(Duration.ofSeconds(315_360_000 - 100));
        assertThat(cache.extend("k", 100)).isTrue();
        assertThat(cache.ttl("k")).isEqualTo(Duration.ofSeconds(315_360_000));
    }

    @Test
    void extendRejectsSecondsOutsideTheTtlBounds() {
        cache.set("k", "v", 60);
        for (long seconds : new long[] {0, -1, 315_360_001}) {
            assertThatThrownBy(() -> cache.extend("k", seconds))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("seconds must be between 1 and 315360000 (10 years), but was " + seconds);
        }
        assertRemaining(cache, "k", Duration.ofSeconds(60));
    }

    @Test
    void keyWithARealOneSecondTtlIsGoneAfterItPasses() {
        var realTime = openOnRealClock();
        realTime.set("short", "v", Duration.ofSeconds(1));
        realTime.set("long", "v", 60);
        assertThat(realTime.has("short")).isTrue();
        sleep(Duration.ofMillis(1_150));
        assertThat(realTime.get("short", String.class)).isNull();
        assertThat(realTime.has("short")).isFalse();
        assertThat(realTime.ttl("short")).isNull();
        assertThat(realTime.keys()).containsExactly("long");
        assertThat(realTime.getMany(List.of("short", "long"), String.class)).containsOnlyKeys("long");
        assertThat(realTime.extend("short", 10)).isFalse();
        assertThat(realTime.setIfAbsent("short", "again", 60)).isTrue();
    }

    @Test
    void counterWithARealOneSecondTtlRestartsAfterItPasses() {
        var realTime = openOnRealClock();
        assertThat(realTime.increment("counter", 1, 1)).isEqualTo(1);
        assertThat(realTime.increment("counter", 1, 1)).isEqualTo(2);
        sleep(Duration.ofMillis(1_150));
        assertThat(realTime.increment("counter", 1, 60)).isEqualTo(1);
    }
}
