package dev.fncache.examples;

import dev.fncache.FunctionCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Session storage across two callbacks of one call: the first stores who called, the second reads it. */
public final class CallSessions {

    /** What the first callback remembers about a call. */
    public record CallSession(String callerNumber, Instant startTime) {
    }

    /** What the second callback answers. */
    public record CallSummary(String callerNumber, Duration elapsed) {
    }

    private final FunctionCache cache;
    private final Clock clock;

    public CallSessions(FunctionCache cache, Clock clock) {
        this.cache = cache;
        this.clock = clock;
    }

    // README: session storage
    public void onIncomingCall(String callId, String callerNumber) {
        cache.set("session:" + callId, new CallSession(callerNumber, clock.instant()), 600);
    }

    public CallSummary onCallAnswered(String callId) {
        CallSession session = cache.get("session:" + callId, CallSession.class);
        if (session == null) {
            return null; // expired after 10 minutes, or never started
        }
        return new CallSummary(session.callerNumber(), Duration.between(session.startTime(), clock.instant()));
    }
    // README: end
}
