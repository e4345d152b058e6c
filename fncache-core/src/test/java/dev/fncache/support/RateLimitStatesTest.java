package dev.fncache.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheSerializationException;
import dev.fncache.RateLimitRule;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitStatesTest {
    private static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final RateLimitRule FIXED = RateLimitRule.fixedWindow(10, Duration.ofMinutes(1));
    private static final RateLimitRule BUCKET = RateLimitRule.tokenBucket(10, 1, Duration.ofSeconds(1));

    private static RateLimitStates.Step apply(byte[] stored, RateLimitRule rule, int cost, long now) {
        return RateLimitStates.apply("k", stored, stored == null ? 0 : stored.length, rule, cost, true, now, false);
    }

    @Test
    void aFixedWindowsStateIsItsStartAndCountAndReadsAsJson() {
        RateLimitStates.Step step = apply(null, FIXED, 3, NOW + 15_000);
        assertThat(step.valueLength()).isEqualTo(24);
        assertThat(step.ttlMillis()).as("until the window ends").isEqualTo(45_000);
        assertThat(new String(RateLimitStates.asJson(step.valueBytes()), StandardCharsets.US_ASCII))
                .isEqualTo("{\"windowStart\":" + NOW + ",\"count\":3}");
        assertThat(apply(step.valueBytes(), FIXED, 1, NOW + 60_000).outcome().remaining())
                .as("the next window starts from zero").isEqualTo(9);
    }

    @Test
    void aBucketsStateIsItsTokensAndWhenTheyWereCountedAndReadsAsJson() {
        RateLimitStates.Step step = apply(null, BUCKET, 4, NOW);
        assertThat(step.ttlMillis()).as("until the bucket is full again").isEqualTo(4_000);
        assertThat(new String(RateLimitStates.asJson(step.valueBytes()), StandardCharsets.US_ASCII))
                .isEqualTo("{\"tokens\":6,\"countedAt\":" + NOW + "}");
        RateLimitStates.Step later = apply(step.valueBytes(), BUCKET, 1, NOW + 2_500);
        assertThat(later.outcome().remaining()).as("two whole periods refilled, the half one not yet").isEqualTo(7);
        assertThat(later.ttlMillis()).as("three periods from the last whole one").isEqualTo(2_500);
    }

    @Test
    void forgedStatesAreRefusedBeforeTheirNumbersAreUsed() {
        byte[] negative = ByteBuffer.allocate(24).put(RateLimitStates.FIXED_WINDOW_MAGIC).putLong(NOW).putLong(-5).array();
        byte[] tooLong = ByteBuffer.allocate(32).put(RateLimitStates.TOKEN_BUCKET_MAGIC).array();
        assertThatThrownBy(() -> apply(negative, FIXED, 1, NOW)).isInstanceOf(CacheSerializationException.class);
        assertThatThrownBy(() -> apply(tooLong, BUCKET, 1, NOW)).isInstanceOf(CacheSerializationException.class);
        assertThatThrownBy(() -> apply(negative, BUCKET, 1, NOW)).as("another algorithm's state")
                .isInstanceOf(CacheSerializationException.class);
        assertThat(RateLimitStates.asJson("\"text\"".getBytes(StandardCharsets.UTF_8))).asString(StandardCharsets.UTF_8)
                .isEqualTo("\"text\"");
    }
}
