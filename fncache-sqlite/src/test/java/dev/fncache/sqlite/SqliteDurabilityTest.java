package dev.fncache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.tck.ChildJvm;
import dev.fncache.tck.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real files, real second processes: what "persistent and shared on one host" means. */
@Tag("real-process")
class SqliteDurabilityTest {
    private final Path directory = TestFiles.newDirectory("durability");
    private final String url = "sqlite:" + directory.resolve("cache.db");

    @Test
    void incrementsFromTwoProcessesAreAtomic() throws Exception {
        try (FunctionCache cache = FunctionCaches.open(url, "fn"); ChildJvm child = ChildJvm.start(SqliteChild.class, "increment", url, "5000")) {
            child.awaitLine("ready");
            for (int i = 0; i < 5_000; i++) {
                cache.increment("counter", 1, 3600);
            }
            child.awaitLine("done");
            assertThat(child.waitFor(60)).isZero();
            assertThat(cache.get("counter", Long.class)).isEqualTo(10_000L);
        }
    }

    @Test
    void everyKeyASetReturnedForSurvivesSigkill() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(SqliteChild.class, "write-forever", url)) {
            String line;
            while (acknowledged.size() < 300 && (line = child.readLine()) != null) {
                acknowledged.add(line.substring("written ".length()));
            }
            child.kill();
            while ((line = child.readLine()) != null) {
                acknowledged.add(line.substring("written ".length()));
            }
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);
        try (FunctionCache reopened = FunctionCaches.open(url, "fn")) {
            for (int i = 0; i < acknowledged.size(); i++) {
                String key = acknowledged.get(i);
                assertThat(reopened.get(key, Long.class)).as(key).isEqualTo(Long.parseLong(key.substring(4)));
                assertThat(reopened.ttl(key)).as(key).isBetween(Duration.ofSeconds(3000), Duration.ofSeconds(3600));
            }
        }
    }

    @Test
    void everyKeyASetReturnedForSurvivesSigkillWithSixteenWritersCommittingInBatches() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(SqliteChild.class, "write-forever-threads", url, "16")) {
            String line;
            while (acknowledged.size() < 2_000 && (line = child.readLine()) != null) {
                acknowledged.add(line.substring("written ".length()));
            }
            child.kill();
            while ((line = child.readLine()) != null) {
                if (line.startsWith("written ")) {
                    acknowledged.add(line.substring("written ".length()));
                }
            }
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(2_000);
        try (FunctionCache reopened = FunctionCaches.open(url, "fn")) {
            for (String key : acknowledged) {
                assertThat(reopened.get(key, Long.class)).as(key)
                        .isEqualTo(Long.parseLong(key.substring(key.lastIndexOf(':') + 1)));
            }
        }
    }

    @Test
    void valuesAndRemainingTtlsSurviveCloseAndReopen() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (FunctionCache cache = FunctionCaches.builder().url(url).namespace("fn").clock(clock).build()) {
            cache.set("session:1", "alice", 600);
            cache.increment("hits", 7, 3600);
        }
        clock.advance(Duration.ofSeconds(100));
        try (FunctionCache reopened = FunctionCaches.builder().url(url).namespace("fn").clock(clock).build()) {
            assertThat(reopened.get("session:1", String.class)).isEqualTo("alice");
            assertThat(reopened.ttl("session:1")).isEqualTo(Duration.ofSeconds(500));
            assertThat(reopened.increment("hits", 1, 60)).isEqualTo(8);
            assertThat(reopened.ttl("hits")).isEqualTo(Duration.ofSeconds(3500));
        }
    }

    @Test
    void aWriteInOneProcessIsVisibleInAnotherAtOnce() throws Exception {
        try (FunctionCache cache = FunctionCaches.open(url, "fn"); ChildJvm child = ChildJvm.start(SqliteChild.class, "increment", url, "1")) {
            child.awaitLine("done");
            assertThat(cache.get("counter", Long.class)).isEqualTo(1L);
        }
    }
}
