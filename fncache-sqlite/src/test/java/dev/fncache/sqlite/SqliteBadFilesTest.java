package dev.fncache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.tck.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A file fncache cannot use gives CacheUnavailableException with the path and the reason, and is never changed. */
@Tag("real-process")
class SqliteBadFilesTest {
    private final Path directory = TestFiles.newDirectory("bad-files");

    @Test
    void textFileIsRefusedAndLeftUntouched() throws Exception {
        Path file = directory.resolve("notes.txt");
        Files.writeString(file, "these are my notes, not a database\n".repeat(200));
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> FunctionCaches.open("sqlite:" + file, "fn"))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a SQLite database");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void emptyFileIsAnEmptyDatabaseAndBecomesACache() throws Exception {
        Path file = Files.createFile(directory.resolve("empty.db"));
        try (FunctionCache cache = FunctionCaches.open("sqlite:" + file, "fn")) {
            cache.set("k", 1);
            assertThat(cache.get("k", Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void anotherApplicationsDatabaseIsRefusedAndLeftUntouched() throws Exception {
        Path file = directory.resolve("app.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
            statement.execute("INSERT INTO customers (name) VALUES ('Alice')");
        }
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> FunctionCaches.open("sqlite:" + file, "fn"))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("another application");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void fileFromANewerSchemaIsRefusedAndLeftUntouched() throws Exception {
        Path file = directory.resolve("future.db");
        try (FunctionCache cache = FunctionCaches.open("sqlite:" + file, "fn")) {
            cache.set("k", "written by this release");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = " + (SqliteSchema.VERSION + 1));
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> FunctionCaches.open("sqlite:" + file, "fn"))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("schema version " + (SqliteSchema.VERSION + 1))
                .hasMessageContaining("newer fncache");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void pathBelowARegularFileCannotBeCreated() throws Exception {
        Path blocker = Files.writeString(directory.resolve("blocker"), "a file, not a directory");
        Path file = blocker.resolve("sub").resolve("cache.db");
        assertThatThrownBy(() -> FunctionCaches.open("sqlite:" + file, "fn"))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("create the directory")
                .hasCauseInstanceOf(java.io.IOException.class);
    }

    @Test
    void directoryThatNobodyCanWriteIsRefused() {
        Path unwritable = Path.of("/proc/fncache-cannot-write-here/cache.db");
        assertThatThrownBy(() -> FunctionCaches.open("sqlite:" + unwritable, "fn"))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(unwritable.toString());
    }

    @Test
    void readOnlyDirectoryIsRefusedForAnOrdinaryUser() throws Exception {
        Path readOnly = Files.createDirectory(directory.resolve("read-only"));
        assertThat(readOnly.toFile().setWritable(false, false)).isTrue();
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(readOnly),
                    "running as root, which writes into read-only directories; "
                            + "directoryThatNobodyCanWriteIsRefused covers the unwritable case");
            Path file = readOnly.resolve("cache.db");
            assertThatThrownBy(() -> FunctionCaches.open("sqlite:" + file, "fn"))
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining(file.toString());
        } finally {
            readOnly.toFile().setWritable(true, false);
        }
    }

    @Test
    void writeBlockedByAnotherProcessFailsAfterTheBusyTimeoutInsteadOfHanging() throws Exception {
        Path file = directory.resolve("locked.db");
        String url = "sqlite:" + file + "?busyTimeout=300";
        try (FunctionCache cache = FunctionCaches.open(url, "fn")) {
            cache.set("before", "v");
            try (ChildJvm holder = ChildJvm.start(SqliteChild.class, "hold-write-lock", file.toString(), "30")) {
                holder.awaitLine("locked");
                long started = System.nanoTime();
                assertThatThrownBy(() -> cache.set("k", "v"))
                        .isInstanceOf(CacheUnavailableException.class)
                        .hasMessageContaining(file.toString())
                        .hasMessageContaining("busy timeout of 300 ms");
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                assertThat(waited).isBetween(Duration.ofMillis(300), Duration.ofSeconds(10));
                assertThat(cache.get("before", String.class)).as("reads go on under a write lock").isEqualTo("v");
            }
            cache.set("after", "v");
            assertThat(cache.has("after")).isTrue();
        }
    }

    @Test
    void fileWithGarbageAfterAValidHeaderIsReportedAsUnavailable() throws Exception {
        Path file = directory.resolve("corrupt.db");
        try (FunctionCache cache = FunctionCaches.open("sqlite:" + file, "fn")) {
            for (int i = 0; i < 200; i++) {
                cache.set("k" + i, "x".repeat(200));
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 4096; i < bytes.length; i++) {
            bytes[i] = (byte) 0xA5;
        }
        Files.write(file, bytes);
        Files.deleteIfExists(Path.of(file + "-wal"));
        Files.deleteIfExists(Path.of(file + "-shm"));
        assertThatThrownBy(() -> {
            try (FunctionCache cache = FunctionCaches.open("sqlite:" + file, "fn")) {
                cache.get("k1", String.class);
            }
        }).isInstanceOf(CacheUnavailableException.class).hasMessageContaining(file.toString());
        assertThat(new String(Files.readAllBytes(file), 0, 16, StandardCharsets.US_ASCII)).startsWith("SQLite format 3");
    }

    @Test
    void cacheFileDeletedWhileOpenFailsLoudlyNamingThePath() throws Exception {
        Path file = directory.resolve("deleted.db");
        try (FunctionCache cache = FunctionCaches.open("sqlite:" + file, "fn")) {
            cache.set("session:CA1", "+4670", 600);
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
            assertThat(failureWithin(cache, java.time.Duration.ofSeconds(5)))
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("was deleted while this process had it open");
            assertThatThrownBy(() -> cache.get("session:CA1", String.class)).isInstanceOf(CacheUnavailableException.class);
        }
    }

    @Test
    void cacheFileReplacedByAnotherProcessWhileOpenFailsLoudly() throws Exception {
        Path file = directory.resolve("replaced.db");
        try (FunctionCache cache = FunctionCaches.open("sqlite:" + file, "fn")) {
            cache.set("sms-count", 3, 600);
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                if (Files.exists(Path.of(file + suffix))) {
                    Files.move(Path.of(file + suffix), directory.resolve("moved-away.db" + suffix));
                }
            }
            try (ChildJvm child = ChildJvm.start(SqliteChild.class, "increment", "sqlite:" + file, "1")) {
                child.awaitLine("done");
                assertThat(child.waitFor(60)).isZero();
            }
            assertThat(failureWithin(cache, java.time.Duration.ofSeconds(5)))
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining("was replaced by another file while this process had it open");
        }
        try (FunctionCache reopened = FunctionCaches.open("sqlite:" + file, "fn")) {
            assertThat(reopened.get("counter", Long.class)).as("a restarted process uses the file at the path").isEqualTo(1L);
        }
    }

    /** Keeps writing until a write fails (the check runs at least every two seconds); returns the failure. */
    private static Throwable failureWithin(FunctionCache cache, java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                cache.increment("probe", 1, 600);
            } catch (RuntimeException failure) {
                return failure;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no call failed within " + limit + " after the file went away");
    }

    @Test
    void schemaVersionOneFileIsMigratedInPlaceKeepingItsEntries() throws Exception {
        Path file = directory.resolve("v1.db");
        long expiresAt = System.currentTimeMillis() + 600_000;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE fncache_entries (namespace TEXT NOT NULL, key BLOB NOT NULL, "
                    + "value BLOB NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID");
            statement.execute("CREATE INDEX fncache_entries_by_expiry ON fncache_entries (expires_at)");
            statement.execute("INSERT INTO fncache_entries VALUES ('fn', CAST('session:CA1' AS BLOB), "
                    + "CAST('\"+4670\"' AS BLOB), " + expiresAt + ")");
            statement.execute("PRAGMA application_id = " + SqliteSchema.APPLICATION_ID);
            statement.execute("PRAGMA user_version = 1");
        }
        try (FunctionCache cache = FunctionCaches.open("sqlite:" + file, "fn")) {
            assertThat(cache.get("session:CA1", String.class)).isEqualTo("+4670");
            String unversioned = cache.getEntry("session:CA1", String.class).version();
            assertThat(cache.replace("session:CA1", unversioned, "+4671", 600)).isTrue();
            assertThat(cache.getEntry("session:CA1", String.class).version()).isNotEqualTo(unversioned);
            assertThat(cache.getOrSet("customer", String.class, 60, () -> "Alice")).isEqualTo("Alice");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                java.sql.ResultSet version = statement.executeQuery("PRAGMA user_version")) {
            assertThat(version.getInt(1)).isEqualTo(SqliteSchema.VERSION).isEqualTo(2);
        }
    }
}
