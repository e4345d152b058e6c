package dev.fncache.memory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every memory database of this JVM, by name, and the one background thread that reclaims their
 * expired entries. A database lives as long as the JVM, so caches opened later with the same URL
 * see the same data, as they would with a server.
 *
 * <p>Reclaiming is incremental, so it costs little when nothing expires and never scans a large
 * store in one burst: every {@value #TICK_MILLIS} ms each namespace checks a slice of its keys
 * sized so a whole pass takes at most {@value #PASS_TICKS} ticks (30 s), and keeps going, up to
 * {@value #TICK_WORK_MILLIS} ms, while a quarter or more of what it checks has expired.
 */
final class MemoryDatabases {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryDatabases.class);
    static final long TICK_MILLIS = 250;
    static final int PASS_TICKS = 120;
    static final long TICK_WORK_MILLIS = 25;
    static final int MIN_SLICE = 1_000;

    private static final ConcurrentHashMap<String, ConcurrentHashMap<String, MemoryNamespace>> DATABASES =
            new ConcurrentHashMap<>();
    private static final ScheduledExecutorService RECLAIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "fncache-memory-reclaimer");
        thread.setDaemon(true);
        return thread;
    });

    static {
        RECLAIMER.scheduleWithFixedDelay(MemoryDatabases::reclaimExpired, TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private MemoryDatabases() {
    }

    /** The namespace's entries, created on first use. */
    static MemoryNamespace namespace(String database, String namespace) {
        return DATABASES.computeIfAbsent(database, name -> new ConcurrentHashMap<>())
                .computeIfAbsent(namespace, name -> new MemoryNamespace());
    }

    /** The namespace's entries if it was ever opened, else null; opens nothing. */
    static MemoryNamespace existing(String database, String namespace) {
        var namespaces = DATABASES.get(database);
        return namespaces == null ? null : namespaces.get(namespace);
    }

    static void reclaimExpired() {
        for (var database : DATABASES.values()) {
            for (MemoryNamespace entries : database.values()) {
                try {
                    long now = entries.clocks().millis();
                    reclaimSlices(entries, now);
                    entries.reclaimExpiredLeases(now);
                } catch (RuntimeException e) {
                    LOG.warn("reclaiming expired memory entries failed; will retry", e);
                }
            }
        }
    }

    private static void reclaimSlices(MemoryNamespace entries, long now) {
        int slice = Math.max(MIN_SLICE, entries.size() / PASS_TICKS);
        long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_WORK_MILLIS);
        int removed = entries.reclaimExpired(now, slice);
        while (removed * 4 >= slice && System.nanoTime() < stopAt) {
            removed = entries.reclaimExpired(now, slice);
        }
    }
}
