package dev.fncache.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What only the memory backend promises: JVM-wide sharing by name and background reclaim. */
class MemoryBackendTest {

    private static String freshName() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void pathologicalPatternOverTwentyThousandLongKeysTakesUnderTwoSeconds() {
        try (FunctionCache cache = FunctionCaches.open("memory:" + freshName(), "fn")) {
            String longKey = "a".repeat(994);
            for (int i = 0; i < 20_000; i++) {
                cache.set(String.format("%s%06d", longKey, i), 1, 600);
            }
            long started = System.nanoTime();
            assertThat(cache.keys("*" + "a".repeat(500) + "b")).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void cachesOpenedWithTheSameUrlShareData() {
        String url = "memory:" + freshName();
        try (FunctionCache first = FunctionCaches.open(url, "fn"); FunctionCache second = FunctionCaches.open(url, "fn")) {
            first.set("k", "v");
            assertThat(second.get("k", String.class)).isEqualTo("v");
        }
        try (FunctionCache reopened = FunctionCaches.open(url, "fn")) {
            assertThat(reopened.get("k", String.class)).isEqualTo("v");
        }
    }

    @Test
    void differentNamesAreSeparateDatabases() {
        try (FunctionCache a = FunctionCaches.open("memory:" + freshName(), "fn");
                FunctionCache b = FunctionCaches.open("memory:" + freshName(), "fn")) {
            a.set("k", "v");
            assertThat(b.has("k")).isFalse();
        }
    }

    @Test
    void plainMemoryUrlIsTheDefaultDatabase() {
        String namespace = freshName();
        try (FunctionCache plain = FunctionCaches.open("memory:", namespace);
                FunctionCache named = FunctionCaches.open("memory:default", namespace)) {
            plain.set("k", 1);
            assertThat(named.get("k", Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void openingByNamespaceAloneUsesTheEnvironmentOrMemory() {
        String namespace = freshName();
        try (FunctionCache cache = FunctionCaches.open(namespace)) {
            cache.set("k", 1);
            assertThat(cache.toString()).contains(System.getenv().getOrDefault("FNCACHE_URL", "memory:"));
        }
    }

    @Test
    void invalidDatabaseNameIsRejected() {
        assertThatThrownBy(() -> FunctionCaches.open("memory:a/b", "fn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'memory:NAME'")
                .hasMessageContaining("'memory:a/b'");
    }

    @Test
    void millionExpiredEntriesAreReclaimedInTheBackground() throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        String database = freshName();
        try (FunctionCache cache = FunctionCaches.builder().url("memory:" + database).namespace("fn").clock(clock).build()) {
            for (int i = 0; i < 1_000_000; i++) {
                cache.set("session:" + i, i, 60);
            }
            cache.set("survivor", 1, 3600);
            MemoryNamespace entries = MemoryDatabases.existing(database, "fn");
            assertThat(entries.size()).isEqualTo(1_000_001);

            clock.advance(Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (entries.size() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(entries.size()).as("entries left after reclaim").isEqualTo(1);
            assertThat(entries.indexSize()).as("index entries left after reclaim").isEqualTo(1);
            assertThat(cache.keys()).containsExactly("survivor");
        }
    }

    @Test
    void withManualHousekeepingExpiredEntriesAreReclaimedExactlyWhenItRuns() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        String database = freshName();
        dev.fncache.spi.ManualHousekeeping housekeeping = dev.fncache.spi.Housekeeping.manual();
        try (FunctionCache cache = FunctionCaches.builder().url("memory:" + database).namespace("fn").clock(clock)
                .housekeeping(housekeeping).build()) {
            for (int i = 0; i < 100; i++) {
                cache.set("session:" + i, i, 60);
            }
            MemoryNamespace entries = MemoryDatabases.existing(database, "fn");
            assertThat(housekeeping.scheduled()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(60));
            assertThat(entries.size()).as("nothing runs until told").isEqualTo(100);
            housekeeping.runAll();
            assertThat(entries.size()).isZero();
        }
    }

    @Test
    void reclaimSkipsEntriesRewrittenWithALongerTtl() {
        MemoryNamespace entries = new MemoryNamespace();
        entries.put("k", new byte[] {'1'}, 1_000);
        entries.put("k", new byte[] {'2'}, 5_000);
        assertThat(entries.reclaimExpired(2_000, 10)).isZero();
        assertThat(entries.get("k", 2_000)).containsExactly('2');
        assertThat(entries.reclaimExpired(5_000, 10)).isEqualTo(1);
        assertThat(entries.indexSize()).isZero();
    }

    @Test
    void reclaimPassResumesWhereItStoppedAndWrapsAround() {
        MemoryNamespace entries = new MemoryNamespace();
        for (int i = 0; i < 10; i++) {
            entries.put("k" + i, new byte[] {'1'}, i < 5 ? 1_000 : 9_000);
        }
        assertThat(entries.reclaimExpired(2_000, 3)).as("k0 k1 k2").isEqualTo(3);
        assertThat(entries.reclaimExpired(2_000, 3)).as("k3 k4 k5").isEqualTo(2);
        assertThat(entries.reclaimExpired(2_000, 100)).as("k6 to k9, then the end").isZero();
        entries.put("a", new byte[] {'1'}, 1_000);
        assertThat(entries.reclaimExpired(2_000, 1)).as("a new pass starts from the first key").isEqualTo(1);
        assertThat(entries.size()).isEqualTo(5);
    }

    @Test
    void backgroundReclaimFollowsTheEarliestClockOfTheOpenCachesNotTheLastOpener() throws Exception {
        String database = freshName();
        MutableClock behind = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        MutableClock ahead = new MutableClock(Instant.parse("2026-01-02T00:00:00Z"));
        FunctionCache early = FunctionCaches.builder().url("memory:" + database).namespace("fn").clock(behind).build();
        early.set("k", "v", 60);
        MemoryNamespace entries = MemoryDatabases.existing(database, "fn");
        try (FunctionCache late = FunctionCaches.builder().url("memory:" + database).namespace("fn").clock(ahead).build()) {
            Thread.sleep(3 * MemoryDatabases.TICK_MILLIS);
            assertThat(entries.size()).as("reclaim kept what the cache with the earlier clock still sees").isEqualTo(1);
            assertThat(early.get("k", String.class)).isEqualTo("v");
            assertThat(late.has("k")).isFalse();

            early.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (entries.size() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(entries.size()).as("reclaimed once only the later clock is open").isZero();
        }
    }

    @Test
    void systemClockIsTheDefault() {
        try (FunctionCache cache = FunctionCaches.builder().url("memory:" + freshName()).namespace("fn").build()) {
            cache.set("k", 1, Duration.ofSeconds(5));
            assertThat(cache.ttl("k")).isBetween(Duration.ofMillis(4_000), Duration.ofSeconds(5));
        }
    }
}
