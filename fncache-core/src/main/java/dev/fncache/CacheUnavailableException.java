package dev.fncache;

/**
 * The backend could not be reached or failed on I/O; the message names the backend, never a
 * secret. When {@link #outcomeUnknown()} is true, a write may still have been applied: the
 * request reached the server, but no answer came back in time (a timeout, a connection lost
 * mid-call), as with any network store. Otherwise the call changed nothing.
 */
public class CacheUnavailableException extends CacheException {
    private static final long serialVersionUID = 1L;

    private final boolean outcomeUnknown;

    public CacheUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public CacheUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * True when the call was a write that may have been applied although it failed (sent, but no
     * answer came back in time); check, or make the write safe to repeat, before retrying it.
     * False when the call certainly changed nothing.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
