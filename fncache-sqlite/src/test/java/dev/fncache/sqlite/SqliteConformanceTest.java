package dev.fncache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole conformance suite against one SQLite file, with the default synchronous=FULL. The
 * second instance reaches the same file through a symbolic link to its directory, so this JVM
 * opens it a second time (its own writer and readers), as another process would.
 */
class SqliteConformanceTest extends ConformanceSuite {
    private static final Path DIRECTORY = TestFiles.newDirectory("tck");
    private static final Path FILE = DIRECTORY.resolve("tck.db");
    private static final Path LINKED_DIRECTORY = linkTo(DIRECTORY);

    private static Path linkTo(Path directory) {
        try {
            return Files.createSymbolicLink(directory.resolveSibling(directory.getFileName() + "-link"), directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected CacheBackendFixture backend() {
        return CacheBackendFixture.builder(() -> "sqlite:" + FILE)
                .secondInstanceUrl(() -> "sqlite:" + LINKED_DIRECTORY.resolve("tck.db"))
                .invariant(SqliteConformanceTest::noExpiredRowIsRead)
                .build();
    }

    /** No row whose expiry has passed is returned by any read, whether or not it was swept yet. */
    private static void noExpiredRowIsRead(FunctionCache cache, String namespace, Instant now) {
        List<String> expired = expiredRows(namespace, now.toEpochMilli());
        List<String> listed = cache.keys();
        for (String key : expired) {
            assertThat(cache.has(key)).as("has(%s) of an expired row", key).isFalse();
            assertThat(cache.get(key, Object.class)).as("get(%s) of an expired row", key).isNull();
            assertThat(listed).as("keys() with an expired row").doesNotContain(key);
        }
    }

    private static List<String> expiredRows(String namespace, long now) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + FILE);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT key FROM fncache_entries WHERE namespace = ? AND expires_at <= ?")) {
            query.setString(1, namespace);
            query.setLong(2, now);
            List<String> keys = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add(new String(rows.getBytes(1), StandardCharsets.UTF_8));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + FILE + " for the invariant check failed", e);
        }
    }
}
