package dev.fncache.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheSerializationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The rate-limit log's own rules: what it stores, what it refuses before reading, and what get shows. */
class SlidingWindowLogTest {
    private static final long NOW = 1_767_225_600_000L;

    private static byte[] log(long... times) {
        ByteBuffer log = ByteBuffer.allocate(8 + 8 * times.length).put(SlidingWindowLog.MAGIC);
        for (long time : times) {
            log.putLong(time);
        }
        return log.array();
    }

    @Test
    void anAllowedHitAppendsOneEntryAndADeniedOneChangesNothing() {
        SlidingWindowLog.Hit first = SlidingWindowLog.hit("k", null, 2, 60_000, NOW);
        assertThat(first.log()).isEqualTo(log(NOW));
        SlidingWindowLog.Hit second = SlidingWindowLog.hit("k", first.log(), 2, 60_000, NOW + 5);
        assertThat(second.log()).isEqualTo(log(NOW, NOW + 5));
        SlidingWindowLog.Hit denied = SlidingWindowLog.hit("k", second.log(), 2, 60_000, NOW + 10);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.log()).isNull();
        assertThat(denied.retryAfterMillis()).isEqualTo(60_000 - 10);
    }

    @Test
    void theHitThatReachesTheCompactionSizeRewritesTheLogWithOnlyTheHitsInTheWindow() {
        int limit = 4;
        long[] times = new long[SlidingWindowLog.compactAt(limit)];
        for (int i = 0; i < times.length; i++) {
            times[i] = NOW - 100_000 + i;
        }
        times[times.length - 1] = NOW - 1;
        SlidingWindowLog.Hit hit = SlidingWindowLog.hit("k", log(times), limit, 60_000, NOW);
        assertThat(hit.allowed()).isTrue();
        assertThat(hit.hits()).isEqualTo(2);
        assertThat(hit.log()).isEqualTo(log(NOW - 1, NOW));
    }

    @Test
    void appendWritesInPlaceWhileTheBufferHasRoomAndOlderLengthsStillReadTheirOwnLog() {
        SlidingWindowLog.Hit first = SlidingWindowLog.hit("k", null, 0, 10_000, 3_600_000, NOW, 1, true, true);
        byte[] buffer = first.log();
        assertThat(buffer.length).as("room to append").isGreaterThan(first.logLength());
        SlidingWindowLog.Hit second = SlidingWindowLog.hit("k", buffer, first.logLength(), 10_000, 3_600_000, NOW + 1, 1, true, true);
        assertThat(second.log()).as("written in place").isSameAs(buffer);
        assertThat(java.util.Arrays.copyOf(buffer, first.logLength())).as("what a reader of the first length sees")
                .isEqualTo(log(NOW));
        assertThat(second.logBytes()).isEqualTo(log(NOW, NOW + 1));
        int copies = 0;
        SlidingWindowLog.Hit hit = second;
        for (int i = 2; i < 10_000; i++) {
            SlidingWindowLog.Hit next = SlidingWindowLog.hit("k", hit.log(), hit.logLength(), 10_000, 3_600_000, NOW + i, 1, true, true);
            copies += next.log() == hit.log() ? 0 : 1;
            hit = next;
        }
        assertThat(hit.hits()).isEqualTo(10_000);
        assertThat(copies).as("buffers doubled, so copies are few").isLessThanOrEqualTo(12);
    }

    @Test
    void aLogOfAWrongLengthOrHeaderIsRefusedBeforeItIsRead() {
        byte[] tooLong = new byte[SlidingWindowLog.MAX_BYTES + 8];
        System.arraycopy(SlidingWindowLog.MAGIC, 0, tooLong, 0, 8);
        byte[] torn = java.util.Arrays.copyOf(log(NOW), 13);
        byte[] otherHeader = log(NOW);
        otherHeader[7] = 2;
        byte[] json = "[1767225600000]".getBytes(StandardCharsets.US_ASCII);
        for (byte[] stored : new byte[][] {tooLong, torn, otherHeader, json}) {
            assertThatThrownBy(() -> SlidingWindowLog.hit("sms:+4670", stored, 10, 60_000, NOW))
                    .isInstanceOf(CacheSerializationException.class)
                    .hasMessage("key 'sms:+4670' holds a value that is not a rate-limit log written by fncache; delete it "
                            + "or use another key");
        }
    }

    @Test
    void hostileTimesInAWellFormedLogGiveSomeAnswerAndABoundedLog() {
        long[] times = new long[SlidingWindowLog.compactAt(SlidingWindowLog.MAX_LIMIT)];
        for (int i = 0; i < times.length; i++) {
            times[i] = i % 2 == 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        byte[] stored = log(times);
        for (int i = 0; i < 100; i++) {
            SlidingWindowLog.Hit hit = SlidingWindowLog.hit("k", stored, 10, 60_000, NOW);
            if (hit.log() != null) {
                stored = hit.log();
            }
            assertThat(stored.length).isLessThanOrEqualTo(SlidingWindowLog.MAX_BYTES);
        }
    }

    @Test
    void getReadsALogAsTheJsonArrayOfItsTimesAndLeavesJsonAsItIs() {
        assertThat(new String(SlidingWindowLog.asJson(log(NOW, NOW + 1)), StandardCharsets.US_ASCII))
                .isEqualTo("[1767225600000,1767225600001]");
        assertThat(new String(SlidingWindowLog.asJson(log()), StandardCharsets.US_ASCII)).isEqualTo("[]");
        byte[] json = "false".getBytes(StandardCharsets.US_ASCII);
        assertThat(SlidingWindowLog.asJson(json)).isSameAs(json);
        byte[] text = "\"fnrl\"".getBytes(StandardCharsets.US_ASCII);
        assertThat(SlidingWindowLog.asJson(text)).isSameAs(text);
    }
}
