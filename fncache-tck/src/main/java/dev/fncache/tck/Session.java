package dev.fncache.tck;

import java.time.Instant;

/** A call session like the seed's: who called and when. */
public record Session(String callerNumber, Instant startTime) {
}
