package dev.fncache.sqlite;

import dev.fncache.CacheUnavailableException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The file's one writer connection in this JVM. Concurrent writes share a transaction and its
 * one fsync (group commit): each caller queues its work, and whoever takes the writer runs every
 * queued work in one {@code BEGIN IMMEDIATE} transaction, each in a savepoint of its own, so one
 * that fails is undone and fails alone. A lone writer runs alone, as without batching. The
 * transaction is retried when another process holds the file's write lock.
 */
final class GroupCommitWriter {
    /** Writes retried after SQLITE_BUSY outlasts the busy timeout, before giving up. */
    static final int WRITE_ATTEMPTS = 3;
    /** The most writes one transaction commits together. */
    static final int MAX_BATCH = 256;
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final SqliteLocation location;
    private final PreparedConnection connection;
    /** Refuses a write (by throwing) once the database is closed or its file lost; run holding the writer. */
    private final Consumer<String> ensureOpen;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<WriteJob<?>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong commits = new AtomicLong();

    GroupCommitWriter(SqliteLocation location, PreparedConnection connection, Consumer<String> ensureOpen) {
        this.location = location;
        this.connection = connection;
        this.ensureOpen = ensureOpen;
    }

    /** Runs {@code work} in a write transaction, committed and (with synchronous=FULL) synced before this returns. */
    <T> T write(String operation, SqlWork<T> work) {
        WriteJob<T> job = new WriteJob<>(operation, work);
        pending.add(job);
        while (!job.done) {
            if (!lock.tryLock()) {
                // The writer is busy: wait to be woken, by the leader that commits this write or
                // when it is this write's turn to lead (the bound only guards a lost wake-up).
                LockSupport.parkNanos(this, PARK_NANOS);
                continue;
            }
            try {
                if (!job.done) {
                    ensureOpen.accept(operation);
                    commitPending();
                }
            } catch (RuntimeException closedOrLost) {
                WriteJob<?> queued;
                while ((queued = pending.poll()) != null) {
                    queued.fail(closedOrLost);
                }
                job.fail(closedOrLost);
            } finally {
                lock.unlock();
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

    /** Runs {@code closing} holding the writer, so no transaction is under way, then closes the connection. */
    void close(Runnable closing) throws SQLException {
        lock.lock();
        try {
            closing.run();
            connection.close();
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to a batch of queued writes and commits them in one transaction; holds the writer. */
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
                connection.execute("BEGIN IMMEDIATE");
                try {
                    for (WriteJob<?> job : batch) {
                        job.run(connection, batch.size() > 1);
                    }
                    connection.execute("COMMIT");
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

    private void rollbackQuietly() {
        try {
            connection.execute("ROLLBACK");
        } catch (SQLException alreadyRolledBack) {
            // SQLite rolls back by itself on some errors; the original failure is what matters
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
}
