package dev.example.consumer.values;

/** A value type of the application's own, exported to Jackson only. */
public record CallSession(String callId, int step) {
}
