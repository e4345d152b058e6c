package dev.fncache.support;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clocks of the caches open on one shared store. Background cleanup (reclaiming, sweeping)
 * takes the earliest time among them, so it never removes an entry that an open cache, whatever
 * its clock, still sees as live; with no cache open it takes the system clock.
 */
public final class OpenClocks {
    private final ConcurrentHashMap<Clock, Integer> uses = new ConcurrentHashMap<>();

    /** No clock yet; each opened cache adds its own. */
    public OpenClocks() {
    }

    public void add(Clock clock) {
        uses.merge(clock, 1, Integer::sum);
    }

    public void remove(Clock clock) {
        uses.computeIfPresent(clock, (c, count) -> count == 1 ? null : count - 1);
    }

    /** The earliest time of the open caches' clocks, in epoch milliseconds. */
    public long millis() {
        long earliest = Long.MAX_VALUE;
        for (Clock clock : uses.keySet()) {
            earliest = Math.min(earliest, clock.millis());
        }
        return earliest == Long.MAX_VALUE ? System.currentTimeMillis() : earliest;
    }
}
