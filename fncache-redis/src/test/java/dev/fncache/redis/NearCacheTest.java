package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.CacheStatsRecorder;
import dev.fncache.spi.NearCacheBounds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The near cache's rules without a server: heartbeats come back at once (or not at all), so each
 * race between a read, an announcement and a new epoch is played in the order that matters.
 */
class NearCacheTest {
    private final List<byte[]> published = new ArrayList<>();
    private boolean echo = true;
    /** The namespace's flag id, which the server appends to each heartbeat it publishes. */
    private byte[] flag = value("flag-id-16-bytes");
    private NearCache near;

    @BeforeEach
    void open() {
        near = new NearCache(new NearCacheBounds(100, 1 << 20), CacheStatsRecorder.disabled(), heartbeat -> {
            byte[] message = ByteBuffer.allocate(heartbeat.length + flag.length).put(heartbeat).put(flag).array();
            published.add(message);
            if (echo) {
                near.onMessage(message);
            }
        }, () -> { });
        assertThat(near.startFill("warm-up")).as("the first heartbeat is sent, and nothing filled before it").isNull();
    }

    private static byte[] value(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] announcement(String... keys) {
        ByteBuffer message = ByteBuffer.allocate(1 + keys.length * 4 + String.join("", keys).length());
        message.put((byte) 'k');
        for (String key : keys) {
            message.putInt(key.length()).put(key.getBytes(StandardCharsets.UTF_8));
        }
        return message.array();
    }

    private void copy(String key, String text) {
        NearCache.Fill fill = near.startFill(key);
        assertThat(fill).isNotNull();
        near.completeFill(key, fill, value(text), 60_000);
    }

    @Test
    void aCompletedReadIsServedUntilAnAnnouncementDropsIt() {
        copy("k", "v1");
        assertThat(near.get("k")).isEqualTo(value("v1"));
        near.onMessage(announcement("other", "k"));
        assertThat(near.get("k")).isNull();
    }

    @Test
    void aReadOvertakenByAnAnnouncementOfItsKeyKeepsNothing() {
        NearCache.Fill fill = near.startFill("k");
        near.onMessage(announcement("k"));
        near.completeFill("k", fill, value("read before the write"), 60_000);
        assertThat(near.get("k")).isNull();
        assertThat(near.pendingFills()).isZero();
    }

    @Test
    void aReadOfTheEpochBeforeADisconnectIsNeverServed() {
        NearCache.Fill fill = near.startFill("k");
        near.newEpoch();
        near.completeFill("k", fill, value("read before the gap"), 60_000);
        assertThat(near.get("k")).isNull();
        assertThat(near.startFill("j")).as("the new epoch's first heartbeat is sent, nothing filled before it").isNull();
        copy("j", "after");
        assertThat(near.get("j")).isEqualTo(value("after"));
    }

    @Test
    void aNewEpochEmptiesTheCopiesBeforeTheyServeAgain() {
        copy("k", "v1");
        near.newEpoch();
        assertThat(near.get("k")).isNull();
    }

    @Test
    void aFailedReadLeavesNoPendingFill() {
        NearCache.Fill fill = near.startFill("k");
        near.completeFill("k", fill, null, 0);
        assertThat(near.pendingFills()).isZero();
        assertThat(near.get("k")).isNull();
    }

    @Test
    void withoutHeartbeatsComingBackCopiesStopWithinTheBound() throws Exception {
        copy("k", "v1");
        echo = false;
        long proven = System.nanoTime();
        while (near.get("k") != null) {
            assertThat(System.nanoTime() - proven).isLessThanOrEqualTo(NearCache.STALE_NANOS + 5_000_000L);
        }
        assertThat(published).hasSizeGreaterThan(1);
    }

    @Test
    void aHeartbeatCarryingAnotherFlagIdBeginsANewEpoch() {
        copy("k", "v1");
        flag = value("re-created-flag!");
        echo = false;
        byte[] heartbeat = published.get(published.size() - 1);
        near.onMessage(ByteBuffer.allocate(heartbeat.length).put(heartbeat, 0, heartbeat.length - flag.length).put(flag).array());
        assertThat(near.size()).as("the flag was gone meanwhile: writes may have gone unannounced").isZero();
        assertThat(near.get("k")).isNull();
        echo = true;
        assertThat(near.startFill("j")).as("the new epoch's first heartbeat is sent, nothing filled before it").isNull();
        copy("j", "after");
        assertThat(near.get("j")).isEqualTo(value("after"));
    }

    @Test
    void anUnreadableMessageDropsEverything() {
        copy("k", "v1");
        copy("j", "v2");
        near.onMessage(new byte[] {'k', 0, 0, 0, 9, 'x'});
        assertThat(near.get("k")).isNull();
        assertThat(near.get("j")).isNull();
    }

    @Test
    void anotherInstancesHeartbeatIsIgnored() {
        copy("k", "v1");
        byte[] foreign = published.get(published.size() - 1).clone();
        foreign[1] ^= 1;
        echo = false;
        near.onMessage(foreign);
        assertThat(near.size()).isEqualTo(1);
    }
}
