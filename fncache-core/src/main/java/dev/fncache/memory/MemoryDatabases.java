package dev.fncache.memory;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every memory database of this JVM, by name, and the one background thread that reclaims their
 * expired entries. A database lives as long as the JVM, so caches opened later with the same URL
 * see the same data, as they would with a server.
 */
final class MemoryDatabases {
    static final long RECLAIM_INTERVAL_MILLIS = 5_000;

    private static final ConcurrentHashMap<String, ConcurrentHashMap<String, Namespace>> DATABASES =
            new ConcurrentHashMap<>();
    private static final ScheduledExecutorService RECLAIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "fncache-memory-reclaimer");
        thread.setDaemon(true);
        return thread;
    });

    static {
        RECLAIMER.scheduleWithFixedDelay(MemoryDatabases::reclaimExpired,
                RECLAIM_INTERVAL_MILLIS, RECLAIM_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private MemoryDatabases() {
    }

    /** The namespace's entries; the clock given last is the one background reclaim follows. */
    static MemoryNamespace namespace(String database, String namespace, Clock clock) {
        Namespace held = DATABASES.computeIfAbsent(database, name -> new ConcurrentHashMap<>())
                .computeIfAbsent(namespace, name -> new Namespace());
        held.reclaimClock = clock;
        return held.entries;
    }

    static void reclaimExpired() {
        for (var database : DATABASES.values()) {
            for (Namespace namespace : database.values()) {
                try {
                    namespace.entries.reclaimExpired(namespace.reclaimClock.millis());
                } catch (RuntimeException e) {
                    System.getLogger(MemoryDatabases.class.getName()).log(System.Logger.Level.WARNING,
                            "reclaiming expired memory entries failed; will retry", e);
                }
            }
        }
    }

    private static final class Namespace {
        final MemoryNamespace entries = new MemoryNamespace();
        volatile Clock reclaimClock;
    }
}
