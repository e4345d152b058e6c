package dev.fncache;

/**
 * {@link FunctionCache#update} gave up: other writers changed the key between every read and
 * write it tried. Nothing was stored by the failed call; retrying later may succeed.
 */
public class CacheConflictException extends CacheException {
    private static final long serialVersionUID = 1L;

    public CacheConflictException(String message) {
        super(message);
    }
}
