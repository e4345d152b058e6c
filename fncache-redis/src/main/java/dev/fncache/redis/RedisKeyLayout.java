package dev.fncache.redis;

import java.nio.charset.StandardCharsets;

/**
 * Where a namespace lives in Redis. Every name starts with {@code fncache:{NAMESPACE}:}, so:
 * <ul>
 *   <li>all of a namespace's keys hash to one cluster slot (the {@code {NAMESPACE}} hash tag),
 *       which lets {@code MGET} and the library's functions touch several of them in one round trip;</li>
 *   <li>one ACL key pattern, {@code ~fncache:{NAMESPACE}:*}, confines a function to its own keys.</li>
 * </ul>
 * A value lives at {@code fncache:{NAMESPACE}:v:KEY}; the sorted set
 * {@code fncache:{NAMESPACE}:index} lists the namespace's keys (all with score 0, so in byte
 * order) for {@code keys(pattern)}; {@code fncache:{NAMESPACE}:version:KEY} holds a key's version
 * once one was read, and {@code fncache:{NAMESPACE}:lease:KEY} a getOrSet load lease; the shard
 * channel {@code fncache:{NAMESPACE}:changes} carries the keys each write changed, while
 * {@code fncache:{NAMESPACE}:near} says a near cache listens. Namespace names cannot contain braces, so the first
 * {@code {...}} of every name is the namespace, whatever the key holds.
 */
final class RedisKeyLayout {
    private final byte[] valuePrefix;
    private final byte[] versionPrefix;
    private final byte[] leasePrefix;
    private final byte[] index;
    private final byte[] sweepLock;
    private final byte[] changes;
    private final byte[] nearFlag;

    RedisKeyLayout(String namespace) {
        String base = "fncache:{" + namespace + "}:";
        this.valuePrefix = utf8(base + "v:");
        this.versionPrefix = utf8(base + "version:");
        this.leasePrefix = utf8(base + "lease:");
        this.index = utf8(base + "index");
        this.sweepLock = utf8(base + "sweep-lock");
        this.changes = utf8(base + "changes");
        this.nearFlag = utf8(base + "near");
    }

    /** The Redis key holding {@code key}'s value. */
    byte[] valueKey(String key) {
        return concat(valuePrefix, key);
    }

    /** The Redis key holding the value of the key whose index member is {@code member}. */
    byte[] valueKey(byte[] member) {
        return concat(valuePrefix, member);
    }

    /** The Redis key holding {@code key}'s version, once one was read (see the function library). */
    byte[] versionKey(String key) {
        return concat(versionPrefix, key);
    }

    /** The Redis key holding {@code key}'s getOrSet load lease. */
    byte[] leaseKey(String key) {
        return concat(leasePrefix, key);
    }

    /** {@code prefix} then the UTF-8 of {@code key}, in one array when the key is ASCII (the usual case). */
    private static byte[] concat(byte[] prefix, String key) {
        int length = key.length();
        byte[] name = new byte[prefix.length + length];
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c >= 0x80) {
                return concat(prefix, utf8(key));
            }
            name[prefix.length + i] = (byte) c;
        }
        System.arraycopy(prefix, 0, name, 0, prefix.length);
        return name;
    }

    private static byte[] concat(byte[] prefix, byte[] member) {
        byte[] name = new byte[prefix.length + member.length];
        System.arraycopy(prefix, 0, name, 0, prefix.length);
        System.arraycopy(member, 0, name, prefix.length, member.length);
        return name;
    }

    /** The key's member in the index: its UTF-8 bytes. */
    static byte[] member(String key) {
        return utf8(key);
    }

    static String key(byte[] member) {
        return new String(member, StandardCharsets.UTF_8);
    }

    byte[] index() {
        return index;
    }

    byte[] sweepLock() {
        return sweepLock;
    }

    /**
     * The namespace's shard channel, where the function library announces every changed key
     * (for near caches); it hashes to the namespace's slot, so on a cluster the node that writes
     * the keys carries it.
     */
    byte[] changes() {
        return changes;
    }

    /** The key a near cache of the namespace keeps while it serves: writes announce only while it exists. */
    byte[] nearFlag() {
        return nearFlag;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
