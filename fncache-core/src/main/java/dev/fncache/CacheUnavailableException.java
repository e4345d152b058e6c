package dev.fncache;

/** The backend could not be reached or failed on I/O; the message names the backend, never a secret. */
public class CacheUnavailableException extends CacheException {
    public CacheUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
