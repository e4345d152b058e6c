package dev.fncache.spi;

import java.lang.reflect.Type;

/**
 * How a caller of {@link CacheStore#get(String, ValueReader)} reads a value's JSON. A store that
 * keeps local copies may keep what {@link #read} returned beside its copy and return that same
 * instance again, but only when {@link #shareable()}: values of a deeply immutable type, which no
 * caller can change, so sharing one is the same as reading it anew.
 *
 * @param <T> the type values are read as
 */
public interface ValueReader<T> {

    /** The type values are read as: a kept instance serves only readers of an equal type. */
    Type type();

    /** True when values of {@link #type()} cannot be changed once read, so one may serve every caller. */
    boolean shareable();

    /** The value {@code json} holds. */
    T read(byte[] json);
}
