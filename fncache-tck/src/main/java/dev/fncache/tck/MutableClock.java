package dev.fncache.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that stands still until a test advances it, so TTL tests never sleep. */
public final class MutableClock extends Clock {
    private final AtomicLong epochMillis;

    public MutableClock(Instant start) {
        this.epochMillis = new AtomicLong(start.toEpochMilli());
    }

    /** Moves time forward by {@code step}, to the millisecond. */
    public void advance(Duration step) {
        epochMillis.addAndGet(step.toMillis());
    }

    @Override
    public long millis() {
        return epochMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new IllegalArgumentException("MutableClock is always UTC; the cache only reads millis()");
    }
}
