package dev.fncache.sqlite;

import dev.fncache.CacheUnavailableException;
import dev.fncache.spi.Housekeeping;
import dev.fncache.support.OpenClocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open cache file in this JVM: a single writer connection, whose transactions are
 * {@code BEGIN IMMEDIATE} so read-modify-write steps are atomic across processes too, and a
 * small pool of reader connections that read concurrently in WAL mode.
 */
final class SqliteDatabase {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
    /**
     * Readers map the first 256 MB of the file instead of copying pages into a 2 MB page cache
     * each: point reads at 1,000,000 keys measured 1.24x (1.14-1.53) faster with it and no faster
     * with a 64 MB page cache ({@code SqliteReaderSettingsComparison} in fncache-bench).
     */
    static final long READER_MMAP_BYTES = 256L * 1024 * 1024;

    /** Writes retried after SQLITE_BUSY outlasts the busy timeout, before giving up. */
    static final int WRITE_ATTEMPTS = 3;
    private static final int MAX_READERS = 8;
    /** The most writes one transaction commits together. */
    static final int MAX_BATCH = 256;
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long FILE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Work against one connection, possibly failing in SQLite. */
    @FunctionalInterface
    interface SqlWork<T> {
        T apply(PreparedConnection connection) throws SQLException;
    }

    final SqliteLocation location;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<WriteJob<?>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong commits = new AtomicLong();
    private final PreparedConnection writer;
    /**
     * Reader connections not in use, the most recently returned first, so a light load keeps
     * reusing the same warm few. Lock-free, as is {@link #readerPermits}: with more request
     * threads than cores, a thread preempted while holding a pool lock would stall every read.
     */
    private final ConcurrentLinkedDeque<PreparedConnection> idleReaders = new ConcurrentLinkedDeque<>();
    /** One per reader connection that may be in use; a reader is opened when none is idle. */
    private final Semaphore readerPermits = new Semaphore(MAX_READERS);
    /** Scans running at once: at most one per core and half the readers, so point reads always find both. */
    private final Semaphore scans = new Semaphore(
            Math.max(1, Math.min(MAX_READERS / 2, Runtime.getRuntime().availableProcessors())), true);
    private volatile boolean closed;
    /** The identity (device and inode) of the file opened, to notice it being deleted or replaced. */
    private final Object fileKey;
    private volatile long fileCheckedAtNanos = System.nanoTime();
    /** Why the file at the path is no longer the one open, once noticed; then every call fails. */
    private volatile String fileLost;
    /** The clocks of the caches open on this file: background sweeps follow the earliest. */
    final OpenClocks clocks = new OpenClocks();
    /** The background sweep of expired rows, cancelled on close. */
    volatile Housekeeping.Task sweep;

    SqliteDatabase(SqliteLocation location) {
        this.location = location;
        createParentDirectory(location);
        this.writer = connect(false);
        try {
            write("open the cache file", connection -> {
                SqliteSchema.verifyOrCreate(connection, location);
                return null;
            });
            writer.execute("PRAGMA journal_mode = WAL");
        } catch (RuntimeException | SQLException e) {
            closeQuietly(writer);
            if (e instanceof SQLException sql) {
                throw SqliteFailures.unavailable(location, "open the cache file", sql);
            }
            throw (RuntimeException) e;
        }
        this.fileKey = currentFileKey();
    }

    /**
     * Runs {@code work} in a write transaction, committed and (with synchronous=FULL) synced
     * before this returns. Concurrent writes share a transaction and its one fsync (group commit):
     * each caller queues its work, and whoever takes the writer runs every queued work in one
     * {@code BEGIN IMMEDIATE} transaction, each in a savepoint of its own, so one that fails is
     * undone and fails alone. A lone writer runs alone, as without batching. The transaction is
     * retried when another process holds the file's write lock.
     */
    <T> T write(String operation, SqlWork<T> work) {
        if (System.nanoTime() - fileCheckedAtNanos > FILE_CHECK_NANOS) {
            checkFileIdentity();
        }
        WriteJob<T> job = new WriteJob<>(operation, work);
        pending.add(job);
        while (!job.done) {
            if (!writeLock.tryLock()) {
                // The writer is busy: wait to be woken, by the leader that commits this write or
                // when it is this write's turn to lead (the bound only guards a lost wake-up).
                LockSupport.parkNanos(this, PARK_NANOS);
                continue;
            }
            try {
                if (!job.done) {
                    ensureOpen(operation);
                    commitPending();
                }
            } catch (RuntimeException closedOrLost) {
                WriteJob<?> queued;
                while ((queued = pending.poll()) != null) {
                    queued.fail(closedOrLost);
                }
                job.fail(closedOrLost);
            } finally {
                writeLock.unlock();
            }
            WriteJob<?> next = pending.peek();
            if (next != null) {
                LockSupport.unpark(next.owner);
            }
        }
        return job.outcome();
    }

    /** Transactions committed; group commit makes this smaller than the writes under concurrency. */
    long commits() {
        return commits.get();
    }

    /** Takes up to a batch of queued writes and commits them in one transaction; holds the write lock. */
    private void commitPending() {
        List<WriteJob<?>> batch = new ArrayList<>();
        WriteJob<?> next;
        while (batch.size() < MAX_BATCH && (next = pending.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                writer.execute("BEGIN IMMEDIATE");
                try {
                    for (WriteJob<?> job : batch) {
                        job.run(writer, batch.size() > 1);
                    }
                    writer.execute("COMMIT");
                } catch (Throwable failure) {
                    rollbackQuietly();
                    throw failure;
                }
                commits.incrementAndGet();
                batch.forEach(job -> job.complete(location));
                return;
            } catch (SQLException e) {
                if (!SqliteFailures.isBusy(e) || attempt == WRITE_ATTEMPTS) {
                    String operation = batch.size() == 1 ? batch.get(0).operation : batch.get(0).operation + " (and "
                            + (batch.size() - 1) + " writes committed with it)";
                    CacheUnavailableException failure = SqliteFailures.unavailable(location, operation, e);
                    batch.forEach(job -> job.fail(failure));
                    return;
                }
            } catch (RuntimeException | Error e) {
                batch.forEach(job -> job.fail(e));
                return;
            }
        }
    }

    /** One caller's write, run in a leader's transaction; its outcome is published when that commits. */
    private static final class WriteJob<T> {
        final String operation;
        final Thread owner = Thread.currentThread();
        private final SqlWork<T> work;
        private T result;
        private Throwable failure;
        volatile boolean done;

        WriteJob(String operation, SqlWork<T> work) {
            this.operation = operation;
            this.work = work;
        }

        /** Runs the work; in a batch, inside a savepoint that is rolled back if it fails. */
        void run(PreparedConnection writer, boolean inBatch) throws SQLException {
            result = null;
            failure = null;
            if (!inBatch) {
                result = work.apply(writer);
                return;
            }
            writer.execute("SAVEPOINT fncache_write");
            try {
                result = work.apply(writer);
            } catch (RuntimeException | SQLException e) {
                writer.execute("ROLLBACK TO fncache_write");
                failure = e;
            }
            writer.execute("RELEASE fncache_write");
        }

        /** Publishes the outcome once the transaction committed; a failed SQL step fails this write alone. */
        void complete(SqliteLocation location) {
            if (failure instanceof SQLException sql) {
                failure = SqliteFailures.unavailable(location, operation, sql);
            }
            done = true;
            LockSupport.unpark(owner);
        }

        void fail(Throwable cause) {
            failure = cause;
            done = true;
            LockSupport.unpark(owner);
        }

        T outcome() {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result;
        }
    }

    /** Runs {@code work} on a reader connection, concurrently with other readers and the writer. */
    <T> T read(String operation, SqlWork<T> work) {
        PreparedConnection reader = borrowReader(operation);
        try {
            return work.apply(reader);
        } catch (SQLException e) {
            throw SqliteFailures.unavailable(location, operation, e);
        } finally {
            returnReader(reader);
        }
    }

    /**
     * Runs a long scan (a {@code keys()} call: chunks of reads with glob matching between them)
     * while holding one of a few scan permits, as many as there are cores and at most half the
     * reader connections; further scans wait here, holding neither a connection nor a core, so
     * a burst of pathological {@code keys()} calls never starves point reads.
     */
    <T> T scan(String operation, java.util.function.Supplier<T> scan) {
        try {
            if (!scans.tryAcquire(location.busyTimeoutMillis() + 1_000L, TimeUnit.MILLISECONDS)) {
                throw SqliteFailures.unavailable(location, operation, "too many keys() scans ran at once for too long", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SqliteFailures.unavailable(location, operation, "interrupted while waiting to scan", e);
        }
        try {
            return scan.get();
        } finally {
            scans.release();
        }
    }

    void close() {
        writeLock.lock();
        try {
            closed = true;
            closeQuietly(writer);
            closeIdleReaders();
        } finally {
            writeLock.unlock();
        }
    }

    private PreparedConnection borrowReader(String operation) {
        ensureOpen(operation);
        try {
            if (!readerPermits.tryAcquire() && !readerPermits.tryAcquire(location.busyTimeoutMillis() + 1_000L,
                    TimeUnit.MILLISECONDS)) {
                throw SqliteFailures.unavailable(location, operation, "every reader connection stayed busy", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SqliteFailures.unavailable(location, operation, "interrupted while waiting for a reader", e);
        }
        PreparedConnection reader = idleReaders.pollFirst();
        if (reader != null) {
            return reader;
        }
        try {
            return connect(true);
        } catch (RuntimeException e) {
            readerPermits.release();
            throw e;
        }
    }

    private void returnReader(PreparedConnection reader) {
        if (closed) {
            closeQuietly(reader);
        } else {
            idleReaders.offerFirst(reader);
            if (closed) {
                closeIdleReaders();
            }
        }
        readerPermits.release();
    }

    private void closeIdleReaders() {
        PreparedConnection reader;
        while ((reader = idleReaders.pollFirst()) != null) {
            closeQuietly(reader);
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

    private void ensureOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(location + " is closed; cannot " + operation);
        }
        String lost = fileLost;
        if (lost != null) {
            throw SqliteFailures.unavailable(location, operation, "the cache file was " + lost + " while this process "
                    + "had it open, so other processes no longer share what this one writes; restart this process "
                    + "(every process must open the same file)", null);
        }
    }

    /**
     * Notices the file at the path being deleted or replaced by another file (its device and
     * inode changed) while open: SQLite would go on writing into the unlinked file, and processes
     * opening the path later would share nothing with this one. Called by the sweeper every few
     * seconds and by writes at most once a second; after it, every call fails.
     */
    void checkFileIdentity() {
        fileCheckedAtNanos = System.nanoTime();
        if (fileKey == null || fileLost != null || closed) {
            return;
        }
        String lost = null;
        try {
            Object current = currentFileKey();
            if (current == null) {
                lost = "deleted";
            } else if (!current.equals(fileKey)) {
                lost = "replaced by another file";
            }
        } catch (RuntimeException e) {
            return;
        }
        if (lost != null) {
            fileLost = lost;
            LOG.error(location
                    + ": the cache file was " + lost + " while open; every call fails from now on. Restart the process "
                    + "so that it opens the file at the path, as the other processes do.");
        }
    }

    /** The file's identity, or null when it does not exist or the file system gives none. */
    private Object currentFileKey() {
        try {
            return Files.readAttributes(location.file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void rollbackQuietly() {
        try {
            writer.execute("ROLLBACK");
        } catch (SQLException alreadyRolledBack) {
            // SQLite rolls back by itself on some errors; the original failure is what matters
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
