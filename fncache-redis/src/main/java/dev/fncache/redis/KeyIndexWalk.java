package dev.fncache.redis;

import dev.fncache.spi.CodePointOrder;
import dev.fncache.spi.GlobPattern;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@code keys()} on Redis: a walk of the namespace's sorted-set index by range, from the
 * pattern's literal prefix, asking the library which members still have a value and pruning the
 * rest as it goes; or, when the server may evict the index, a SCAN of the namespace's value keys.
 */
final class KeyIndexWalk {
    static final int INDEX_PAGE = 500;

    private final SharedRedisConnection connection;
    private final RedisKeyLayout layout;

    KeyIndexWalk(SharedRedisConnection connection, RedisKeyLayout layout) {
        this.connection = connection;
        this.layout = layout;
    }

    /** Up to {@code limit} live keys matching {@code pattern} after {@code after}, in code point order. */
    List<String> keysAfter(GlobPattern pattern, String after, int limit) {
        if (connection.evictsAnyKey()) {
            return scanNamespace(pattern).stream()
                    .filter(key -> after == null || CodePointOrder.compare(key, after) > 0)
                    .sorted(CodePointOrder.COMPARATOR)
                    .limit(limit)
                    .toList();
        }
        byte[] prefix = pattern.literalPrefixUtf8();
        boolean fromPrefix = after == null || Arrays.compareUnsigned(RedisKeyLayout.member(after), prefix) < 0;
        Range.Boundary<byte[]> lower = fromPrefix
                ? (prefix.length == 0 ? Range.Boundary.unbounded() : Range.Boundary.including(prefix))
                : Range.Boundary.excluding(RedisKeyLayout.member(after));
        Range.Boundary<byte[]> upper = prefix.length == 0 ? Range.Boundary.unbounded()
                : Range.Boundary.excluding(pattern.literalPrefixUtf8End());
        List<String> matching = new ArrayList<>();
        forEachLiveMember(lower, upper, Math.min(INDEX_PAGE, limit), member -> {
            String key = RedisKeyLayout.key(member);
            if (pattern.matches(key)) {
                matching.add(key);
            }
            return matching.size() < limit;
        });
        return matching;
    }

    /**
     * {@code keys()} when the server may evict the index: SCAN for the namespace's value keys
     * with the pattern's literal prefix. Correct whatever was evicted, but its cost grows with the
     * whole keyspace; only a user allowed SCAN gets here (the policy could be read).
     */
    private List<String> scanNamespace(GlobPattern pattern) {
        byte[] valuePrefix = layout.valueKey(pattern.literalPrefix());
        String match = escapeGlob(new String(valuePrefix, StandardCharsets.UTF_8)) + "*";
        ScanArgs args = ScanArgs.Builder.matches(match).limit(1_000);
        int prefixLength = layout.valueKey("").length;
        List<String> matching = new ArrayList<>();
        KeyScanCursor<byte[]> cursor = connection.call("keys", redis -> redis.scan(args));
        while (true) {
            for (byte[] valueKey : cursor.getKeys()) {
                String key = new String(valueKey, prefixLength, valueKey.length - prefixLength, StandardCharsets.UTF_8);
                if (pattern.matches(key)) {
                    matching.add(key);
                }
            }
            if (cursor.isFinished()) {
                return matching;
            }
            KeyScanCursor<byte[]> previous = cursor;
            cursor = connection.call("keys", redis -> redis.scan(previous, args));
        }
    }

    private static String escapeGlob(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** Walks the index between two bounds page by page, pruning members whose value is gone. */
    void forEachLiveMember(Range.Boundary<byte[]> lower, Range.Boundary<byte[]> upper, Consumer<byte[]> live) {
        forEachLiveMember(lower, upper, INDEX_PAGE, member -> {
            live.accept(member);
            return true;
        });
    }

    /**
     * Walks the index between two bounds, {@code pageSize} members per read, pruning members whose
     * value is gone, until {@code live} answers false or the range ends.
     */
    private void forEachLiveMember(Range.Boundary<byte[]> lower, Range.Boundary<byte[]> upper, int pageSize,
            Predicate<byte[]> live) {
        byte[] index = layout.index();
        Range.Boundary<byte[]> from = lower;
        while (true) {
            Range<byte[]> range = Range.from(from, upper);
            List<byte[]> members = connection.call("keys", redis -> redis.zrangebylex(index, range, Limit.create(0, pageSize)));
            if (members.isEmpty()) {
                return;
            }
            byte[][] keys = new byte[members.size() + 1][];
            keys[0] = index;
            for (int i = 0; i < members.size(); i++) {
                keys[i + 1] = layout.valueKey(members.get(i));
            }
            List<Long> alive = connection.fcall("keys", RedisFunction.LIVE_MEMBERS, ScriptOutputType.MULTI, keys,
                    members.toArray(new byte[0][]));
            for (int i = 0; i < members.size(); i++) {
                if (alive.get(i) == 1 && !live.test(members.get(i))) {
                    return;
                }
            }
            if (members.size() < pageSize) {
                return;
            }
            from = Range.Boundary.excluding(members.get(members.size() - 1));
        }
    }
}
