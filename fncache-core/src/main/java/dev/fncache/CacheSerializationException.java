package dev.fncache;

/**
 * A value could not be converted to or from JSON: it cannot be written (a cycle, a type Jackson
 * cannot serialize), or the stored JSON does not fit the requested type. The stored value is
 * never changed by the failed call.
 */
public class CacheSerializationException extends CacheException {
    private static final long serialVersionUID = 1L;

    public CacheSerializationException(String message) {
        super(message);
    }

    public CacheSerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
