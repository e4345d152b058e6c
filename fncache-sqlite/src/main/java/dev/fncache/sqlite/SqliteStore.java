package dev.fncache.sqlite;

import dev.fncache.spi.CacheStore;
import dev.fncache.support.CounterValue;
import dev.fncache.support.EntryVersion;
import dev.fncache.spi.GlobPattern;
import dev.fncache.RateLimitRule;
import dev.fncache.spi.RateLimitHit;
import dev.fncache.support.RateLimitStates;
import dev.fncache.spi.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One namespace of a cache file. Keys are stored as their UTF-8 bytes, so the primary key's
 * order serves a glob's literal prefix as an exact range: every key starting with prefix P lies
 * in [P, P + 0xFF), as 0xFF never occurs in UTF-8.
 */
final class SqliteStore implements CacheStore {
    private static final String T = SqliteSchema.TABLE;
    /** Keys read per reader-connection hold by keys(); the glob is matched between holds. */
    static final int SCAN_CHUNK = 1_000;
    private static final String WHERE_KEY = " WHERE namespace = ? AND key = ?";
    private static final String GET = "SELECT value FROM " + T + WHERE_KEY + " AND expires_at > ?";
    private static final String EXPIRES_AT = "SELECT expires_at FROM " + T + WHERE_KEY + " AND expires_at > ?";
    private static final String ENTRY = "SELECT value, expires_at, version FROM " + T + WHERE_KEY;
    private static final String PUT = "INSERT OR REPLACE INTO " + T
            + " (namespace, key, value, expires_at, version) VALUES (?, ?, ?, ?, ?)";
    private static final String PUT_IF_ABSENT = "INSERT INTO " + T
            + " (namespace, key, value, expires_at, version) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at,"
            + " version = excluded.version WHERE expires_at <= ?";
    private static final String TAKE_LEASE = "INSERT INTO " + SqliteSchema.LEASES
            + " (namespace, key, token, expires_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (namespace, key) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at"
            + " WHERE expires_at <= ?";
    private static final String RELEASE_LEASE = "DELETE FROM " + SqliteSchema.LEASES + WHERE_KEY + " AND token = ?";
    private static final String DELETE = "DELETE FROM " + T + WHERE_KEY;
    private static final String SET_EXPIRES_AT = "UPDATE " + T + " SET expires_at = ?" + WHERE_KEY;
    private static final String SET_VALUE = "UPDATE " + T + " SET value = ?, version = ?" + WHERE_KEY;
    static final String KEYS_FROM = "SELECT key FROM " + T
            + " WHERE namespace = ? AND key >= ? AND key < ? AND expires_at > ? ORDER BY key LIMIT " + SCAN_CHUNK;
    static final String KEYS_AFTER = "SELECT key FROM " + T
            + " WHERE namespace = ? AND key > ? AND key < ? AND expires_at > ? ORDER BY key LIMIT " + SCAN_CHUNK;
    private static final int[] GET_ALL_CHUNKS = {16, 128};

    private final SqliteDatabase database;
    private final String namespace;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    SqliteStore(SqliteDatabase database, String namespace, Clock clock) {
        this.database = database;
        this.namespace = namespace;
        this.clock = clock;
    }

    @Override
    public byte[] get(String key) {
        long now = clock.millis();
        return database.read("get", connection -> {
            PreparedStatement query = bindKey(connection.prepare(GET), key);
            query.setLong(3, now);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? result.getBytes(1) : null;
            }
        });
    }

    /** Rows come back in index order, so they are matched to the asked keys through a map. */
    @Override
    public List<byte[]> getAll(List<String> keys) {
        long now = clock.millis();
        Map<String, byte[]> found = database.read("getMany", connection -> {
            Map<String, byte[]> rows = new HashMap<>();
            int largest = GET_ALL_CHUNKS[GET_ALL_CHUNKS.length - 1];
            for (int from = 0; from < keys.size(); from += largest) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + largest));
                int size = chunk.size() <= GET_ALL_CHUNKS[0] ? GET_ALL_CHUNKS[0] : largest;
                PreparedStatement query = connection.prepare("SELECT key, value FROM " + T
                        + " WHERE namespace = ? AND expires_at > ? AND key IN ("
                        + String.join(", ", Collections.nCopies(size, "?")) + ")");
                query.setString(1, namespace);
                query.setLong(2, now);
                for (int i = 0; i < size; i++) {
                    query.setBytes(3 + i, utf8(chunk.get(Math.min(i, chunk.size() - 1))));
                }
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        rows.put(new String(result.getBytes(1), StandardCharsets.UTF_8), result.getBytes(2));
                    }
                }
            }
            return rows;
        });
        List<byte[]> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            values.add(found.get(key));
        }
        return values;
    }

    @Override
    public boolean contains(String key) {
        return remainingMillis(key) != ABSENT;
    }

    @Override
    public void put(String key, byte[] value, long ttlMillis) {
        long expiresAt = clock.millis() + ttlMillis;
        database.write("set", connection -> {
            return insertOrReplace(connection, key, value, expiresAt);
        });
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, long ttlMillis) {
        long now = clock.millis();
        return database.write("setIfAbsent", connection -> {
            PreparedStatement insert = bindKey(connection.prepare(PUT_IF_ABSENT), key);
            insert.setBytes(3, value);
            insert.setLong(4, now + ttlMillis);
            insert.setString(5, EntryVersion.next());
            insert.setLong(6, now);
            return insert.executeUpdate() > 0;
        });
    }

    @Override
    public boolean remove(String key) {
        long now = clock.millis();
        return database.write("delete", connection -> {
            boolean live = liveExpiry(connection, key, now) != ABSENT;
            bindKey(connection.prepare(DELETE), key).executeUpdate();
            return live;
        });
    }

    @Override
    public long remainingMillis(String key) {
        long now = clock.millis();
        return database.read("ttl", connection -> {
            long expiresAt = liveExpiry(connection, key, now);
            return expiresAt == ABSENT ? ABSENT : expiresAt - now;
        });
    }

    @Override
    public long extend(String key, long addMillis, long maxRemainingMillis) {
        long now = clock.millis();
        return database.write("extend", connection -> {
            long expiresAt = liveExpiry(connection, key, now);
            if (expiresAt == ABSENT) {
                return ABSENT;
            }
            long remaining = expiresAt - now + addMillis;
            if (remaining > maxRemainingMillis) {
                return LIMIT_EXCEEDED;
            }
            PreparedStatement update = connection.prepare(SET_EXPIRES_AT);
            update.setLong(1, now + remaining);
            update.setString(2, namespace);
            update.setBytes(3, utf8(key));
            update.executeUpdate();
            return remaining;
        });
    }

    @Override
    public long increment(String key, long delta, long ttlMillis) {
        long now = clock.millis();
        return database.write("increment", connection -> {
            PreparedStatement query = bindKey(connection.prepare(ENTRY), key);
            byte[] stored = null;
            try (ResultSet result = query.executeQuery()) {
                if (result.next() && result.getLong(2) > now) {
                    stored = result.getBytes(1);
                }
            }
            if (stored == null) {
                insertOrReplace(connection, key, CounterValue.encode(delta), now + ttlMillis);
                return delta;
            }
            long sum = CounterValue.add(key, CounterValue.decode(key, stored), delta);
            PreparedStatement update = connection.prepare(SET_VALUE);
            update.setBytes(1, CounterValue.encode(sum));
            update.setString(2, EntryVersion.next());
            update.setString(3, namespace);
            update.setBytes(4, utf8(key));
            update.executeUpdate();
            return sum;
        });
    }

    @Override
    public StoredEntry getEntry(String key) {
        long now = clock.millis();
        return database.read("getEntry", connection -> liveEntry(connection, key, now));
    }

    @Override
    public boolean replace(String key, String expectedVersion, byte[] value, long ttlMillis) {
        long now = clock.millis();
        return database.write("replace", connection -> {
            StoredEntry current = liveEntry(connection, key, now);
            boolean matches = expectedVersion == null ? current == null
                    : current != null && current.version().equals(expectedVersion);
            if (!matches) {
                return false;
            }
            insertOrReplace(connection, key, value, now + ttlMillis);
            return true;
        });
    }

    @Override
    public boolean tryLease(String key, String token, long ttlMillis) {
        long now = clock.millis();
        return database.write("getOrSet", connection -> {
            PreparedStatement take = bindKey(connection.prepare(TAKE_LEASE), key);
            take.setString(3, token);
            take.setLong(4, now + ttlMillis);
            take.setLong(5, now);
            return take.executeUpdate() > 0;
        });
    }

    @Override
    public void releaseLease(String key, String token) {
        database.write("getOrSet", connection -> {
            PreparedStatement release = bindKey(connection.prepare(RELEASE_LEASE), key);
            release.setString(3, token);
            return release.executeUpdate();
        });
    }

    @Override
    public RateLimitHit hit(String key, RateLimitRule rule, int cost, boolean consume) {
        long now = clock.millis();
        if (!consume) {
            StoredEntry current = getEntry(key);
            byte[] stored = current == null ? null : current.value();
            return RateLimitStates.apply(key, stored, stored == null ? 0 : stored.length, rule, 1, false, now, false)
                    .outcome();
        }
        return database.write("rateLimit", connection -> {
            StoredEntry current = liveEntry(connection, key, now);
            byte[] stored = current == null ? null : current.value();
            RateLimitStates.Step step = RateLimitStates.apply(key, stored, stored == null ? 0 : stored.length, rule,
                    cost, true, now, false);
            if (step.value() != null) {
                insertOrReplace(connection, key, step.valueBytes(), now + step.ttlMillis());
            }
            return step.outcome();
        });
    }

    @Override
    public List<String> keysAfter(GlobPattern pattern, String after, int limit) {
        long now = clock.millis();
        return database.scan("keys", () -> scanRange(pattern, after, limit, now));
    }

    /**
     * Reads the pattern's prefix range from {@code after} (exclusive; null: the range's start)
     * chunk by chunk, matching each chunk between reads, until {@code limit} keys matched.
     */
    private List<String> scanRange(GlobPattern pattern, String after, int limit, long now) {
        byte[] to = pattern.literalPrefixUtf8End();
        byte[] prefix = pattern.literalPrefixUtf8();
        byte[] afterUtf8 = after == null ? null : utf8(after);
        boolean fromPrefix = afterUtf8 == null || Arrays.compareUnsigned(afterUtf8, prefix) < 0;
        byte[] from = fromPrefix ? prefix : afterUtf8;
        String query = fromPrefix ? KEYS_FROM : KEYS_AFTER;
        List<String> matching = new ArrayList<>();
        while (true) {
            byte[] lower = from;
            String chunkQuery = query;
            List<byte[]> chunk = database.read("keys", connection -> {
                PreparedStatement select = connection.prepare(chunkQuery);
                select.setString(1, namespace);
                select.setBytes(2, lower);
                select.setBytes(3, to);
                select.setLong(4, now);
                List<byte[]> keys = new ArrayList<>(SCAN_CHUNK);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        keys.add(result.getBytes(1));
                    }
                }
                return keys;
            });
            for (byte[] key : chunk) {
                String text = new String(key, StandardCharsets.UTF_8);
                if (pattern.matches(text)) {
                    matching.add(text);
                    if (matching.size() == limit) {
                        return matching;
                    }
                }
            }
            if (chunk.size() < SCAN_CHUNK) {
                return matching;
            }
            from = chunk.get(chunk.size() - 1);
            query = KEYS_AFTER;
        }
    }

    @Override
    public void putAll(Map<String, byte[]> entries, long ttlMillis) {
        long expiresAt = clock.millis() + ttlMillis;
        database.write("setMany", connection -> {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                insertOrReplace(connection, entry.getKey(), entry.getValue(), expiresAt);
            }
            return null;
        });
    }

    @Override
    public long removeAll(List<String> keys) {
        long now = clock.millis();
        return database.write("deleteMany", connection -> {
            long removed = 0;
            for (String key : keys) {
                if (liveExpiry(connection, key, now) != ABSENT) {
                    removed++;
                }
                bindKey(connection.prepare(DELETE), key).executeUpdate();
            }
            return removed;
        });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            SqliteDatabases.release(database, clock);
        }
    }

    private int insertOrReplace(PreparedConnection connection, String key, byte[] value, long expiresAt)
            throws SQLException {
        PreparedStatement insert = bindKey(connection.prepare(PUT), key);
        insert.setBytes(3, value);
        insert.setLong(4, expiresAt);
        insert.setString(5, EntryVersion.next());
        return insert.executeUpdate();
    }

    private StoredEntry liveEntry(PreparedConnection connection, String key, long now) throws SQLException {
        PreparedStatement query = bindKey(connection.prepare(ENTRY), key);
        try (ResultSet result = query.executeQuery()) {
            if (!result.next() || result.getLong(2) <= now) {
                return null;
            }
            String version = result.getString(3);
            return new StoredEntry(result.getBytes(1), result.getLong(2) - now,
                    version == null ? SqliteSchema.UNVERSIONED : version);
        }
    }

    private long liveExpiry(PreparedConnection connection, String key, long now) throws SQLException {
        PreparedStatement query = bindKey(connection.prepare(EXPIRES_AT), key);
        query.setLong(3, now);
        try (ResultSet result = query.executeQuery()) {
            return result.next() ? result.getLong(1) : ABSENT;
        }
    }

    private PreparedStatement bindKey(PreparedStatement statement, String key) throws SQLException {
        statement.setString(1, namespace);
        statement.setBytes(2, utf8(key));
        return statement;
    }

    private static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
