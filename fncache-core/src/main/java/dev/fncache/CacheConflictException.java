package dev.fncache;

/**
 * {@link FunctionCache#update} gave up: other writers changed the key between every read and
 * write it tried. Nothing was stored by the failed call; retrying later may succeed.
 */
public class CacheConflictException extends CacheException {
    public CacheConflictException(String message) {
        super(message);
    }
}
