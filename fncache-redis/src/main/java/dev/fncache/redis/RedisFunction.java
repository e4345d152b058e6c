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
    SET("fncache_v6_set", true),
    SET_MANY("fncache_v6_set_many", true),
    DELETE_MANY("fncache_v6_delete_many", true),
    REPLACE("fncache_v6_replace", true),
    GET_ENTRY("fncache_v6_get_entry", false),
    DELETE("fncache_v6_delete", true),
    INCREMENT("fncache_v6_increment", true),
    EXTEND("fncache_v6_extend", true),
    LIVE_MEMBERS("fncache_v6_live_members", false),
    HIT("fncache_v6_hit", true),
    FIXED_WINDOW("fncache_v6_fixed_window", true),
    TOKEN_BUCKET("fncache_v6_token_bucket", true),
    RELEASE_LEASE("fncache_v6_release_lease", false),
    NEAR_HEARTBEAT("fncache_v6_near_heartbeat", false);

    /** The library's name, versioned: a changed library is loaded next to the old one, never over it. */
    static final String LIBRARY = "fncache_v6";
    static final String LIBRARY_RESOURCE = "fncache-library.lua";

    final String functionName;
    /**
     * Whether the function stores or deletes entries (or a rate-limit log): what
     * {@code ?replicaAcks=N} waits for. Reads, index upkeep and lease releases do not wait.
     */
    final boolean changesEntries;

    RedisFunction(String functionName, boolean changesEntries) {
        this.functionName = functionName;
        this.changesEntries = changesEntries;
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
