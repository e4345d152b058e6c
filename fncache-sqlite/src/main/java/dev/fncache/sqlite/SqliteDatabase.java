package dev.fncache.sqlite;

import dev.fncache.spi.Housekeeping;
import dev.fncache.support.OpenClocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.sqlite.SQLiteConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open cache file in this JVM: its {@link GroupCommitWriter} (one writer connection, whose
 * transactions are {@code BEGIN IMMEDIATE} so read-modify-write steps are atomic across processes
 * too), its {@link ReaderPool}, and the {@link FileIdentityWatch} that fails every call once the
 * file at the path is no longer the one open.
 */
final class SqliteDatabase {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
    /**
     * Readers map the first 256 MB of the file instead of copying pages into a 2 MB page cache
     * each: point reads at 1,000,000 keys measured 1.24x (1.14-1.53) faster with it and no faster
     * with a 64 MB page cache (fncache-bench/README.md).
     */
    static final long READER_MMAP_BYTES = 256L * 1024 * 1024;

    final SqliteLocation location;
    private final GroupCommitWriter writer;
    private final ReaderPool readers;
    private final FileIdentityWatch watch;
    private volatile boolean closed;
    /** The clocks of the caches open on this file: background sweeps follow the earliest. */
    final OpenClocks clocks = new OpenClocks();
    /** The background sweep of expired rows, cancelled on close. */
    volatile Housekeeping.Task sweep;

    SqliteDatabase(SqliteLocation location) {
        this.location = location;
        createParentDirectory(location);
        PreparedConnection connection = connect(false);
        this.writer = new GroupCommitWriter(location, connection, this::ensureOpen);
        try {
            write("open the cache file", opened -> {
                SqliteSchema.verifyOrCreate(opened, location);
                return null;
            });
            connection.execute("PRAGMA journal_mode = WAL");
        } catch (RuntimeException | SQLException e) {
            closeQuietly(connection);
            if (e instanceof SQLException sql) {
                throw SqliteFailures.unavailable(location, "open the cache file", sql);
            }
            throw (RuntimeException) e;
        }
        this.readers = new ReaderPool(location, () -> connect(true));
        this.watch = new FileIdentityWatch(location);
    }

    /** Runs {@code work} in a write transaction, committed (and with synchronous=FULL synced) before this returns. */
    <T> T write(String operation, SqlWork<T> work) {
        if (watch != null) {
            watch.checkIfDue();
        }
        return writer.write(operation, work);
    }

    /** Runs {@code work} on a reader connection, concurrently with other readers and the writer. */
    <T> T read(String operation, SqlWork<T> work) {
        ensureOpen(operation);
        return readers.read(operation, work);
    }

    /** Runs a {@code keys()} scan under the pool's bound on scans at once (see {@link ReaderPool#scan}). */
    <T> T scan(String operation, Supplier<T> scan) {
        return readers.scan(operation, scan);
    }

    /** Transactions committed; group commit makes this smaller than the writes under concurrency. */
    long commits() {
        return writer.commits();
    }

    /** Checks that the file at the path is still the one open (the sweeper calls this every few seconds). */
    void checkFileIdentity() {
        if (!closed) {
            watch.check();
        }
    }

    void close() {
        try {
            writer.close(() -> {
                closed = true;
                readers.close();
            });
        } catch (SQLException e) {
            LOG.warn("closing the SQLite writer connection failed", e);
        }
    }

    private void ensureOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(location + " is closed; cannot " + operation);
        }
        String lost = watch == null ? null : watch.lost();
        if (lost != null) {
            throw SqliteFailures.unavailable(location, operation, "the cache file was " + lost + " while this process "
                    + "had it open, so other processes no longer share what this one writes; restart this process "
                    + "(every process must open the same file)", null);
        }
    }

    private PreparedConnection connect(boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(location.busyTimeoutMillis());
        config.setSynchronous(location.synchronous() == SqliteLocation.Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        try {
            PreparedConnection connection = new PreparedConnection(config.createConnection("jdbc:sqlite:" + location.file()));
            if (readOnly) {
                connection.execute("PRAGMA query_only = 1");
                connection.execute("PRAGMA mmap_size = " + READER_MMAP_BYTES);
            }
            return connection;
        } catch (SQLException e) {
            throw SqliteFailures.unavailable(location, "open the cache file", e);
        }
    }

    private static void createParentDirectory(SqliteLocation location) {
        Path parent = location.file().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw SqliteFailures.unavailable(location, "create the directory " + parent, e.toString(), e);
        }
    }

    private static void closeQuietly(PreparedConnection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing a SQLite connection failed", e);
        }
    }
}
