package dev.fncache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.spi.CacheUrl;
import dev.fncache.tck.MutableClock;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The file's settings, its index use and its reclaiming of expired rows. */
class SqliteStorageTest {
    private final Path directory = TestFiles.newDirectory("storage");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private SqliteLocation location(String options) {
        return SqliteLocation.parse(CacheUrl.parse("sqlite:" + directory.resolve("cache.db") + options));
    }

    private static long single(SqliteDatabase database, String sql) {
        return database.read("inspect", connection -> {
            try (ResultSet result = connection.prepare(sql).executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        });
    }

    @Test
    void readersMapTheFileIntoMemory() {
        SqliteDatabase database = SqliteDatabases.acquire(location(""), clock, dev.fncache.spi.Housekeeping.background());
        try {
            assertThat(single(database, "PRAGMA mmap_size")).isEqualTo(SqliteDatabase.READER_MMAP_BYTES);
            assertThat(single(database, "PRAGMA query_only")).isEqualTo(1);
        } finally {
            SqliteDatabases.release(database, clock);
        }
    }

    @Test
    void oneFileOpenedAgainWithOtherOptionsIsRefusedNamingBothAndTheFirstKeepsWorking() {
        String file = directory.resolve("cache.db").toString();
        try (FunctionCache first = FunctionCaches.open("sqlite:" + file, "fn")) {
            assertThatThrownBy(() -> FunctionCaches.open("sqlite:" + file + "?synchronous=normal", "fn"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already open in this JVM with synchronous=full&busyTimeout=5000")
                    .hasMessageContaining("this url asks for synchronous=normal&busyTimeout=5000");
            first.set("k", "still works", 60);
            try (FunctionCache same = FunctionCaches.open("sqlite:" + file + "?synchronous=full", "fn")) {
                assertThat(same.get("k", String.class)).isEqualTo("still works");
            }
        }
    }

    @Test
    void backgroundSweepFollowsTheEarliestClockOfTheOpenCachesNotTheLastOpener() throws Exception {
        MutableClock ahead = new MutableClock(Instant.parse("2026-01-02T00:00:00Z"));
        String url = "sqlite:" + directory.resolve("cache.db");
        FunctionCache early = FunctionCaches.builder().url(url).namespace("fn").clock(clock).build();
        early.set("k", "v", 60);
        try (FunctionCache late = FunctionCaches.builder().url(url).namespace("fn").clock(ahead).build()) {
            Thread.sleep(2 * SqliteDatabases.SWEEP_INTERVAL_MILLIS + 500);
            assertThat(early.get("k", String.class)).as("the sweep kept what the earlier clock still sees").isEqualTo("v");
            assertThat(late.has("k")).isFalse();
        } finally {
            early.close();
        }
    }

    @Test
    void synchronousIsFullByDefaultAndNormalOnRequest() {
        SqliteDatabase full = SqliteDatabases.acquire(location(""), clock, dev.fncache.spi.Housekeeping.background());
        try {
            assertThat(single(full, "PRAGMA synchronous")).isEqualTo(2);
            String journalMode = full.read("inspect", c -> {
                try (ResultSet r = c.prepare("PRAGMA journal_mode").executeQuery()) {
                    r.next();
                    return r.getString(1);
                }
            });
            assertThat(journalMode).isEqualTo("wal");
        } finally {
            SqliteDatabases.release(full, clock);
        }
        SqliteDatabase normal = SqliteDatabases.acquire(location("?synchronous=NORMAL"), clock, dev.fncache.spi.Housekeeping.background());
        try {
            assertThat(single(normal, "PRAGMA synchronous")).isEqualTo(1);
        } finally {
            SqliteDatabases.release(normal, clock);
        }
    }

    @Test
    void urlOptionsAreCheckedWithTheRule() {
        assertThat(location("?busyTimeout=250&synchronous=normal"))
                .extracting(SqliteLocation::busyTimeoutMillis, SqliteLocation::synchronous)
                .containsExactly(250, SqliteLocation.Synchronous.NORMAL);
        assertThatThrownBy(() -> location("?synchronous=off"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("synchronous must be full or normal, but was 'off'");
        assertThatThrownBy(() -> location("?busyTimeout=-1"))
                .hasMessageContaining("busyTimeout must be milliseconds between 0 and 600000, but was '-1'");
        assertThatThrownBy(() -> location("?journal=delete"))
                .hasMessageContaining("option 'journal' is unknown");
        assertThatThrownBy(() -> FunctionCaches.open("sqlite:", "fn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PATH must name a file");
    }

    /** Regression: sqlite://data/x.db silently created /data/x.db at the root. */
    @Test
    void aUrlWithAHostIsRefusedSayingWhatToWriteInstead() {
        assertThatThrownBy(() -> FunctionCaches.open("sqlite://data/x.db", "fn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("url must be sqlite:PATH[?synchronous=full|normal][&busyTimeout=MILLIS]: '//data' reads as a "
                        + "host, and a SQLite file has none; write sqlite:data/x.db for a path under the working directory, "
                        + "or sqlite:/data/x.db for an absolute one (url was 'sqlite://data/x.db')");
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/data/x.db"))).isFalse();
        assertThat(SqliteLocation.parse(dev.fncache.spi.CacheUrl.parse("sqlite:///var/tmp/x.db")).file())
                .as("three slashes: an absolute path").isEqualTo(java.nio.file.Path.of("/var/tmp/x.db"));
    }

    @Test
    void keysWithALiteralPrefixSearchAPrimaryKeyRangeNotTheTable() {
        SqliteDatabase database = SqliteDatabases.acquire(location(""), clock, dev.fncache.spi.Housekeeping.background());
        try {
            for (String query : List.of(SqliteStore.KEYS_FROM, SqliteStore.KEYS_AFTER)) {
                String plan = database.read("explain", connection -> {
                    PreparedStatement explain = connection.prepare("EXPLAIN QUERY PLAN " + query);
                    List<String> steps = new ArrayList<>();
                    try (ResultSet result = explain.executeQuery()) {
                        while (result.next()) {
                            steps.add(result.getString("detail"));
                        }
                    }
                    return String.join("; ", steps);
                });
                assertThat(plan).as(query).contains("SEARCH").contains("PRIMARY KEY (namespace=? AND key>? AND key<?)")
                        .doesNotContain("TEMP B-TREE");
            }
        } finally {
            SqliteDatabases.release(database, clock);
        }
    }

    @Test
    void sweepDeletesEveryExpiredRowInBatchesAndKeepsLiveOnes() {
        String url = "sqlite:" + directory.resolve("cache.db");
        try (FunctionCache cache = FunctionCaches.builder().url(url).namespace("fn").clock(clock).build()) {
            for (int i = 0; i < 2_345; i++) {
                cache.set("old:" + i, i, 60);
            }
            cache.set("live", 1, 3600);
            clock.advance(Duration.ofSeconds(60));
            SqliteDatabase database = SqliteDatabases.acquire(location(""), clock, dev.fncache.spi.Housekeeping.background());
            try {
                assertThat(new ExpiredRowSweeper(database).sweep()).isEqualTo(2_345);
                assertThat(single(database, "SELECT count(*) FROM " + SqliteSchema.TABLE)).isEqualTo(1);
            } finally {
                SqliteDatabases.release(database, clock);
            }
            assertThat(cache.keys()).containsExactly("live");
        }
    }

    @Test
    void backgroundSweepKeepsTheFileFromGrowingWithDeadEntries() throws InterruptedException {
        String url = "sqlite:" + directory.resolve("cache.db") + "?synchronous=normal";
        try (FunctionCache cache = FunctionCaches.builder().url(url).namespace("fn").clock(clock).build()) {
            SqliteDatabase database = SqliteDatabases.acquire(location("?synchronous=normal"), clock, dev.fncache.spi.Housekeeping.background());
            try {
                long pagesAfterFirstRound = 0;
                for (int round = 0; round < 4; round++) {
                    for (int i = 0; i < 5_000; i++) {
                        cache.set("round" + round + ":" + i, "x".repeat(100), 60);
                    }
                    clock.advance(Duration.ofSeconds(60));
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (single(database, "SELECT count(*) FROM " + SqliteSchema.TABLE) > 0
                            && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertThat(single(database, "SELECT count(*) FROM " + SqliteSchema.TABLE))
                            .as("rows left after the background sweep of round %d", round).isZero();
                    if (round == 0) {
                        pagesAfterFirstRound = single(database, "PRAGMA page_count");
                    }
                }
                assertThat(single(database, "PRAGMA page_count")).isLessThanOrEqualTo(pagesAfterFirstRound + 8);
            } finally {
                SqliteDatabases.release(database, clock);
            }
        }
    }

    @Test
    void cachesOfOneFileShareOneDatabaseUntilTheLastCloses() {
        String url = "sqlite:" + directory.resolve("cache.db");
        FunctionCache a = FunctionCaches.open(url, "a");
        FunctionCache b = FunctionCaches.open(url, "b");
        a.close();
        b.set("k", 1);
        assertThat(b.get("k", Integer.class)).isEqualTo(1);
        b.close();
        try (FunctionCache reopened = FunctionCaches.open(url, "b")) {
            assertThat(reopened.get("k", Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void pointReadsStayFastWhileEightPathologicalKeysScansRun() throws Exception {
        String url = "sqlite:" + TestFiles.newDirectory("globs").resolve("cache.db") + "?synchronous=normal";
        try (FunctionCache cache = FunctionCaches.open(url, "fn")) {
            String longKey = "a".repeat(994);
            for (int i = 0; i < 20_000; i++) {
                cache.set(String.format("%s%06d", longKey, i), 1, 600);
            }
            cache.set("session:CA1", "+4670", 600);
            String pathological = "*" + "a".repeat(500) + "b";
            long oneScan = System.nanoTime();
            assertThat(cache.keys(pathological)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - oneScan)).as("one scan of 20,000 keys of 1,000 characters")
                    .isLessThan(Duration.ofSeconds(2));
            java.util.concurrent.ExecutorService scanners = java.util.concurrent.Executors.newFixedThreadPool(8);
            java.util.concurrent.atomic.AtomicBoolean scanning = new java.util.concurrent.atomic.AtomicBoolean(true);
            try {
                for (int i = 0; i < 8; i++) {
                    scanners.submit(() -> {
                        while (scanning.get()) {
                            cache.keys(pathological);
                        }
                        return null;
                    });
                }
                Thread.sleep(300);
                long[] took = new long[100];
                for (int i = 0; i < took.length; i++) {
                    long started = System.nanoTime();
                    assertThat(cache.get("session:CA1", String.class)).isEqualTo("+4670");
                    took[i] = System.nanoTime() - started;
                    Thread.sleep(10);
                }
                java.util.Arrays.sort(took);
                assertThat(Duration.ofNanos(took[94])).as("the 95th percentile of 100 point reads during the scans")
                        .isLessThan(Duration.ofMillis(100));
                assertThat(Duration.ofNanos(took[99])).as("the slowest point read: waiting for no connection")
                        .isLessThan(Duration.ofSeconds(1));
            } finally {
                scanning.set(false);
                scanners.shutdown();
                assertThat(scanners.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
