package dev.fncache.sqlite;

import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@link #MAX_READERS} read-only connections, reading concurrently with each other and
 * the writer in WAL mode. Each thread first tries the reader it used last, claimed with one
 * compare-and-set (HikariCP's {@code ConcurrentBag} idea): with fewer threads running than
 * readers, as on a function server whose request threads mostly wait on the network, a thread
 * finds its own reader free and warm, and no read takes a lock or a shared permit. Otherwise it
 * claims any free reader, opens one while fewer than the bound are open, or waits for one to be
 * given back.
 */
final class ReaderPool {
    private static final Logger LOG = LoggerFactory.getLogger(ReaderPool.class);
    static final int MAX_READERS = 8;
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** One reader connection; in use while {@code inUse} is true, claimed by whoever sets it. */
    private static final class Reader {
        final PreparedConnection connection;
        final AtomicBoolean inUse = new AtomicBoolean(true);

        Reader(PreparedConnection connection) {
            this.connection = connection;
        }
    }

    private final SqliteLocation location;
    private final Supplier<PreparedConnection> connect;
    private final CopyOnWriteArrayList<Reader> readers = new CopyOnWriteArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final ThreadLocal<Reader> lastUsed = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Thread> waiting = new ConcurrentLinkedQueue<>();
    /** Scans running at once: at most one per core and half the readers, so point reads always find both. */
    private final Semaphore scans = new Semaphore(
            Math.max(1, Math.min(MAX_READERS / 2, Runtime.getRuntime().availableProcessors())), true);
    private volatile boolean closed;

    ReaderPool(SqliteLocation location, Supplier<PreparedConnection> connect) {
        this.location = location;
        this.connect = connect;
    }

    /** Runs {@code work} on a reader. */
    <T> T read(String operation, SqlWork<T> work) {
        Reader reader = borrow(operation);
        try {
            return work.apply(reader.connection);
        } catch (SQLException e) {
            throw SqliteFailures.unavailable(location, operation, e);
        } finally {
            giveBack(reader);
        }
    }

    /**
     * Runs a long scan (a {@code keys()} call: chunks of reads with glob matching between them)
     * while holding one of a few scan permits; further scans wait here, holding neither a
     * connection nor a core, so a burst of pathological {@code keys()} calls never starves point
     * reads.
     */
    <T> T scan(String operation, Supplier<T> scan) {
        try {
            if (!scans.tryAcquire(waitMillis(), TimeUnit.MILLISECONDS)) {
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

    /** Closes the readers not in use now; those in use close as they are given back. */
    void close() {
        closed = true;
        for (Reader reader : readers) {
            closeIfFree(reader);
        }
    }

    private Reader borrow(String operation) {
        Reader last = lastUsed.get();
        if (last != null && last.inUse.compareAndSet(false, true)) {
            return last;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis());
        while (true) {
            Reader reader = claimFree();
            if (reader == null) {
                reader = openBelowBound();
            }
            if (reader != null) {
                lastUsed.set(reader);
                return reader;
            }
            if (System.nanoTime() > deadline) {
                throw SqliteFailures.unavailable(location, operation, "every reader connection stayed busy", null);
            }
            Thread self = Thread.currentThread();
            waiting.add(self);
            try {
                if ((reader = claimFree()) != null) {
                    lastUsed.set(reader);
                    return reader;
                }
                LockSupport.parkNanos(this, PARK_NANOS);
                if (Thread.interrupted()) {
                    self.interrupt();
                    throw SqliteFailures.unavailable(location, operation, "interrupted while waiting for a reader", null);
                }
            } finally {
                waiting.remove(self);
            }
        }
    }

    private Reader claimFree() {
        for (Reader reader : readers) {
            if (!reader.inUse.get() && reader.inUse.compareAndSet(false, true)) {
                return reader;
            }
        }
        return null;
    }

    private Reader openBelowBound() {
        int count;
        do {
            count = opened.get();
            if (count >= MAX_READERS) {
                return null;
            }
        } while (!opened.compareAndSet(count, count + 1));
        Reader reader;
        try {
            reader = new Reader(connect.get());
        } catch (RuntimeException e) {
            opened.decrementAndGet();
            throw e;
        }
        readers.add(reader);
        return reader;
    }

    private void giveBack(Reader reader) {
        reader.inUse.set(false);
        if (closed) {
            closeIfFree(reader);
            return;
        }
        Thread next = waiting.peek();
        if (next != null) {
            LockSupport.unpark(next);
        }
    }

    private void closeIfFree(Reader reader) {
        if (reader.inUse.compareAndSet(false, true)) {
            try {
                reader.connection.close();
            } catch (SQLException e) {
                LOG.warn("closing a SQLite reader connection failed", e);
            }
        }
    }

    private long waitMillis() {
        return location.busyTimeoutMillis() + 1_000L;
    }
}
