package dev.fncache.examples;

import dev.fncache.FunctionCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Session storage across two callbacks of one call: the first stores who called, the second reads it. */
public final class CallSessions {

    /** What the callbacks remember about a call: who called, when, and when it was first answered. */
    public record CallSession(String callerNumber, Instant startTime, Instant answeredAt) {
        CallSession answered(Instant at) {
            return answeredAt != null ? this : new CallSession(callerNumber, startTime, at);
        }
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
        cache.set("session:" + callId, new CallSession(callerNumber, clock.instant(), null), 600);
    }

    /** Retried or duplicate callbacks, on any instance, all see the first answer time. */
    public CallSummary onCallAnswered(String callId) {
        Instant now = clock.instant();
        CallSession session = cache.update("session:" + callId, CallSession.class, 600,
                current -> current == null ? null : current.answered(now)); // null: expired or never started
        if (session == null) {
            return null;
        }
        return new CallSummary(session.callerNumber(), Duration.between(session.startTime(), session.answeredAt()));
    }
    // README: end
}
