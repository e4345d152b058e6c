package dev.fncache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.spi.GlobPattern;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SeenExpiriesTest {
    private final SeenExpiries hints = new SeenExpiries();

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSameBytesReadAgainWithinTheTrustedTimeGoByTheExpirySeen() {
        hints.remember("config", json("\"v1\""), 2_000, 0);
        assertThat(hints.remainingMillis("config", json("\"v1\""), SeenExpiries.TRUSTED_MILLIS - 1))
                .isEqualTo(2_000 - SeenExpiries.TRUSTED_MILLIS + 1);
    }

    @Test
    void otherBytesOrAnOlderReadOrAPassedExpiryGiveNoHint() {
        hints.remember("config", json("\"v1\""), 50, 0);
        assertThat(hints.remainingMillis("config", json("\"v2\""), 10)).isZero();
        assertThat(hints.remainingMillis("config", json("\"v1 \""), 10)).isZero();
        assertThat(hints.remainingMillis("config", json("\"v1\""), 50)).as("expired").isZero();
        hints.remember("config", json("\"v1\""), 10_000, 0);
        assertThat(hints.remainingMillis("config", json("\"v1\""), SeenExpiries.TRUSTED_MILLIS)).as("read too long ago")
                .isZero();
        assertThat(hints.remainingMillis("other", json("\"v1\""), 10)).isZero();
    }

    @Test
    void aKeyThisCacheChangedIsForgotten() {
        hints.remember("session:1", json("1"), 10_000, 0);
        hints.remember("session:2", json("2"), 10_000, 0);
        hints.remember("config", json("3"), 10_000, 0);
        hints.discardMatching(GlobPattern.compile("session:*"));
        hints.discard("config");
        assertThat(hints.remainingMillis("session:1", json("1"), 1)).isZero();
        assertThat(hints.remainingMillis("session:2", json("2"), 1)).isZero();
        assertThat(hints.remainingMillis("config", json("3"), 1)).isZero();
    }

    @Test
    void pastMaxKeysTheHintsAreDroppedAndLearntAgain() {
        for (int i = 0; i < SeenExpiries.MAX_KEYS; i++) {
            hints.remember("k" + i, json("1"), 10_000, 0);
        }
        assertThat(hints.remainingMillis("k0", json("1"), 1)).isPositive();
        hints.remember("one more", json("1"), 10_000, 0);
        assertThat(hints.remainingMillis("k0", json("1"), 1)).isZero();
        assertThat(hints.remainingMillis("one more", json("1"), 1)).isPositive();
    }
}
