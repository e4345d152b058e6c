package dev.fncache.sqlite;

import dev.fncache.spi.Housekeeping;
import dev.fncache.support.OpenResources;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The cache files open in this JVM, one {@link SqliteDatabase} per file shared by every cache
 * that opens it and closed when the last one closes, and each file's sweep of expired rows, on
 * the housekeeping of the cache that opened the file first. Static because a file takes one
 * writer: every cache on it in this JVM must share one connection to write. Opening a file runs
 * outside any lock other files wait on.
 */
final class SqliteDatabases {
    static final long SWEEP_INTERVAL_MILLIS = 2_000;

    private static final OpenResources<Path, SqliteDatabase> OPEN = new OpenResources<>();

    private SqliteDatabases() {
    }

    /**
     * The database open on the location's file, opened now if none is. One file has one writer
     * connection per JVM, so a second open with other options is refused rather than given a
     * second writer that would contend with the first.
     */
    static SqliteDatabase acquire(SqliteLocation location, Clock clock, Housekeeping housekeeping) {
        SqliteDatabase database = OPEN.acquire(location.file(), file -> open(location, housekeeping));
        if (!database.location.equals(location)) {
            OPEN.release(location.file(), database, SqliteDatabases::close);
            throw new IllegalArgumentException("the SQLite file " + location.file() + " is already open in this JVM with "
                    + database.location.options() + "; every cache on one file must use the same options, but this "
                    + "url asks for " + location.options());
        }
        database.clocks.add(clock);
        return database;
    }

    static void release(SqliteDatabase database, Clock clock) {
        database.clocks.remove(clock);
        OPEN.release(database.location.file(), database, SqliteDatabases::close);
    }

    private static SqliteDatabase open(SqliteLocation location, Housekeeping housekeeping) {
        SqliteDatabase database = new SqliteDatabase(location);
        ExpiredRowSweeper sweeper = new ExpiredRowSweeper(database);
        database.sweep = housekeeping.every(Duration.ofMillis(SWEEP_INTERVAL_MILLIS), Duration.ofMillis(SWEEP_INTERVAL_MILLIS),
                sweeper::sweepQuietly);
        return database;
    }

    private static void close(SqliteDatabase database) {
        database.sweep.cancel();
        database.close();
    }
}
