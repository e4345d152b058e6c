package dev.fncache.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The steps of fncache's Redis function library ({@code deploy/redis/fncache-library.lua},
 * packaged in this jar): one {@code FCALL} each, atomic on the server. A function's user needs
 * only {@code FCALL}, never {@code EVAL} or {@code FUNCTION}; the library is loaded by a user
 * that may (see {@link SharedRedisConnection#fcall}).
 */
enum RedisFunction {
    SET("fncache_v3_set"),
    SET_MANY("fncache_v3_set_many"),
    DELETE_MANY("fncache_v3_delete_many"),
    REPLACE("fncache_v3_replace"),
    GET_ENTRY("fncache_v3_get_entry"),
    DELETE("fncache_v3_delete"),
    INCREMENT("fncache_v3_increment"),
    EXTEND("fncache_v3_extend"),
    LIVE_MEMBERS("fncache_v3_live_members"),
    HIT("fncache_v3_hit"),
    RELEASE_LEASE("fncache_v3_release_lease");

    /** The library's name, versioned: a changed library is loaded next to the old one, never over it. */
    static final String LIBRARY = "fncache_v3";
    static final String LIBRARY_RESOURCE = "fncache-library.lua";

    final String functionName;

    RedisFunction(String functionName) {
        this.functionName = functionName;
    }

    /** The library's source, as {@code FUNCTION LOAD} takes it. */
    static String librarySource() {
        return LibrarySource.TEXT;
    }

    private static final class LibrarySource {
        static final String TEXT = read();

        private static String read() {
            try (InputStream in = RedisFunction.class.getResourceAsStream(LIBRARY_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(LIBRARY_RESOURCE + " is missing from the fncache-redis jar");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
