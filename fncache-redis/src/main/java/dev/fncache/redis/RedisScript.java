package dev.fncache.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts for the read-modify-write steps that must be atomic. A value is written
 * with {@code PX ttl-1}: Redis keeps a key while now &lt;= its expiry, the contract while now &lt;
 * write time + TTL, so storing one millisecond less makes the two agree exactly; remaining
 * lifetimes read back add that millisecond again.
 */
enum RedisScript {
    /** KEYS: value. ARGV: add millis, max remaining millis. Returns remaining, -1 absent, -2 over the limit. */
    EXTEND("""
            local left = redis.call('PTTL', KEYS[1])
            if left < 0 then return -1 end
            local remaining = left + 1 + tonumber(ARGV[1])
            if remaining > tonumber(ARGV[2]) then return -2 end
            redis.call('PEXPIRE', KEYS[1], remaining - 1)
            return remaining
            """),
    /**
     * KEYS: value, index. ARGV: delta, PX, member. Returns the new value as text, since Lua's
     * numbers are doubles and would round counters past 2^53; a created counter gets the TTL.
     */
    INCREMENT("""
            redis.call('INCRBY', KEYS[1], ARGV[1])
            if redis.call('PTTL', KEYS[1]) == -1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              redis.call('ZADD', KEYS[2], 'NX', 0, ARGV[3])
            end
            return redis.call('GET', KEYS[1])
            """),
    /**
     * KEYS: index, then the value keys of some members. ARGV: those members. Returns 1 or 0 per
     * member for live or gone, and removes the gone ones from the index.
     */
    LIVE_MEMBERS("""
            local live = {}
            for i = 2, #KEYS do
              if redis.call('EXISTS', KEYS[i]) == 1 then
                live[i - 1] = 1
              else
                live[i - 1] = 0
                redis.call('ZREM', KEYS[1], ARGV[i - 1])
              end
            end
            return live
            """);

    final String source;
    final String sha1;

    RedisScript(String source) {
        this.source = source;
        this.sha1 = sha1(source);
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-1", e);
        }
    }
}
