package dev.fncache;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.fncache.internal.JsonCodec;

/**
 * The JSON rules the cache stores values with (compact UTF-8, {@code java.time} as ISO-8601,
 * unknown properties ignored, never default typing), as Jackson's immutable reader and writer:
 * a runtime or a tool reads and writes JSON exactly as the cache does, and cannot change how
 * the cache does.
 */
public final class CacheJson {
    private CacheJson() {
    }

    /** Reads JSON as the cache reads stored values; {@code forType(...)} gives a reader for one type. */
    public static ObjectReader reader() {
        return JsonCodec.reader();
    }

    /** Writes JSON as the cache writes values it stores. */
    public static ObjectWriter writer() {
        return JsonCodec.writer();
    }
}
