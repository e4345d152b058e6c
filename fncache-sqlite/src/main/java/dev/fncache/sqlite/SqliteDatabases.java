package dev.fncache.sqlite;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The cache files open in this JVM, shared by every cache that opens the same location and
 * closed when the last one closes; and the background thread that deletes expired rows.
 */
final class SqliteDatabases {
    static final long SWEEP_INTERVAL_MILLIS = 2_000;

    private static final Map<SqliteLocation, Opened> OPEN = new HashMap<>();
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "fncache-sqlite-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    private SqliteDatabases() {
    }

    static synchronized SqliteDatabase acquire(SqliteLocation location, Clock clock) {
        Opened opened = OPEN.get(location);
        if (opened == null) {
            SqliteDatabase database = new SqliteDatabase(location, clock);
            ExpiredRowSweeper sweeper = new ExpiredRowSweeper(database);
            ScheduledFuture<?> schedule = SWEEPER.scheduleWithFixedDelay(sweeper::sweepQuietly,
                    SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            opened = new Opened(database, schedule);
            OPEN.put(location, opened);
        }
        opened.database.sweepClock = clock;
        opened.references++;
        return opened.database;
    }

    static synchronized void release(SqliteDatabase database) {
        Opened opened = OPEN.get(database.location);
        if (opened == null || opened.database != database || --opened.references > 0) {
            return;
        }
        OPEN.remove(database.location);
        opened.sweep.cancel(false);
        database.close();
    }

    private static final class Opened {
        final SqliteDatabase database;
        final ScheduledFuture<?> sweep;
        int references;

        Opened(SqliteDatabase database, ScheduledFuture<?> sweep) {
            this.database = database;
            this.sweep = sweep;
        }
    }
}
