package dev.fncache.memory;

import dev.fncache.spi.Housekeeping;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every memory database of this JVM, by name, and the reclaiming of their expired entries. A
 * database lives as long as the JVM, so caches opened later with the same URL see the same data,
 * as they would with a server: that is why the registry is static. A namespace's reclaiming runs
 * on the housekeeping of the cache that first opened it.
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
    private MemoryDatabases() {
    }

    /** The namespace's entries, created on first use, when its reclaiming is scheduled on {@code housekeeping}. */
    static MemoryNamespace namespace(String database, String namespace, Housekeeping housekeeping) {
        return DATABASES.computeIfAbsent(database, name -> new ConcurrentHashMap<>())
                .computeIfAbsent(namespace, name -> {
                    MemoryNamespace entries = new MemoryNamespace();
                    housekeeping.every(Duration.ofMillis(TICK_MILLIS), Duration.ofMillis(TICK_MILLIS), () -> reclaim(entries));
                    return entries;
                });
    }

    /** The namespace's entries if it was ever opened, else null; opens nothing. */
    static MemoryNamespace existing(String database, String namespace) {
        var namespaces = DATABASES.get(database);
        return namespaces == null ? null : namespaces.get(namespace);
    }

    /** One tick of a namespace's reclaiming: a slice of its keys, and its expired leases. */
    static void reclaim(MemoryNamespace entries) {
        try {
            long now = entries.clocks().millis();
            reclaimSlices(entries, now);
            entries.reclaimExpiredLeases(now);
        } catch (RuntimeException e) {
            LOG.warn("reclaiming expired memory entries failed; will retry", e);
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
