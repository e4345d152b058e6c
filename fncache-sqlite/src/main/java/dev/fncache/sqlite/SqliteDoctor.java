package dev.fncache.sqlite;

import dev.fncache.CacheCheck;
import dev.fncache.spi.CacheUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fncache doctor}'s SQLite checks: the file is in WAL mode (readers beside the writer,
 * every process sharing it), on a local disk with room to grow, and its directory is writable
 * (SQLite writes its -wal and -shm files beside it).
 */
final class SqliteDoctor {
    /** Less free space than this on the file's disk fails: writes would soon fail with SQLITE_FULL. */
    static final long MIN_FREE_BYTES = 256L << 20;

    private SqliteDoctor() {
    }

    static List<CacheCheck> check(CacheUrl url) {
        SqliteLocation location = SqliteLocation.parse(url);
        Path file = location.file();
        List<CacheCheck> checks = new ArrayList<>();
        checks.add(journalMode(file));
        try {
            long free = Files.getFileStore(file).getUsableSpace();
            checks.add(free >= MIN_FREE_BYTES
                    ? CacheCheck.pass("free disk", (free >> 20) + " MiB free on the file's disk")
                    : CacheCheck.fail("free disk", "only " + (free >> 20) + " MiB free on the file's disk (under "
                            + (MIN_FREE_BYTES >> 20) + " MiB): writes fail once it is full; free space or move the file"));
        } catch (IOException e) {
            checks.add(CacheCheck.fail("free disk", "cannot read the file's disk: " + e.getMessage()));
        }
        Path directory = file.toAbsolutePath().getParent();
        checks.add(directory != null && Files.isWritable(directory)
                ? CacheCheck.pass("directory writable", directory + " (SQLite writes its -wal and -shm files there)")
                : CacheCheck.fail("directory writable", directory + " is not writable by this process; SQLite needs to "
                        + "create its -wal and -shm files beside the cache file"));
        return checks;
    }

    private static CacheCheck journalMode(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            String journal = mode.next() ? mode.getString(1) : "unknown";
            return "wal".equalsIgnoreCase(journal)
                    ? CacheCheck.pass("journal mode", "wal: readers run beside the writer")
                    : CacheCheck.fail("journal mode", journal + " (expected wal, which fncache sets when it creates the "
                            + "file); a file on a network file system cannot use WAL: keep it on a local disk");
        } catch (SQLException e) {
            return CacheCheck.fail("journal mode", "cannot read it: " + e.getMessage());
        }
    }
}
