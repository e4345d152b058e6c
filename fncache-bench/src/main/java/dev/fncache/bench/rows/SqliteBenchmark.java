package dev.fncache.bench.rows;

import dev.fncache.bench.harness.Interleaved;
import dev.fncache.bench.harness.InterleavedState;
import dev.fncache.bench.fixtures.CallSession;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * fncache's SQLite backend against raw sqlite-jdbc prepared statements on the same schema with
 * the same pragmas (WAL, the same synchronous mode, one transaction per write), encoding and
 * decoding the same session. The raw side is what a careful user would write for many threads:
 * each thread reads on a connection of its own, as WAL lets readers run side by side, and writes
 * go through one connection in turn, as a SQLite file takes one writer at a time (more writer
 * connections would only wait for the file lock in SQLite's sleeping busy handler). The sides
 * named in {@code sides} take turns, one iteration each (see {@link Interleaved}).
 */
@State(Scope.Benchmark)
public class SqliteBenchmark extends InterleavedState<SqliteBenchmark.Side> {
    /** What a turn calls. */
    public enum Side {
        FNCACHE_GET, RAW_GET, FNCACHE_SET, RAW_SET
    }

    static final int KEYS = 10_000;
    static final String TABLE = "fncache_entries";

    @Param({"full", "normal"})
    public String synchronous;

    @Param("FNCACHE_GET,RAW_GET,FNCACHE_SET,RAW_SET")
    public String sides;

    FunctionCache fncache;
    Connection raw;
    String rawUrl;
    final Queue<Connection> rawReaders = new ConcurrentLinkedQueue<>();
    final ThreadLocal<PreparedStatement> rawSelect = ThreadLocal.withInitial(this::openRawReader);
    PreparedStatement rawUpsert;
    String[] keys;

    @Setup(Level.Trial)
    public void open() throws Exception {
        takeTurns(sides, Side.class);
        Path directory = Files.createDirectories(Path.of(System.getProperty("fncache.bench.data", "target/bench-data")));
        Path file = Files.createTempFile(directory, "sqlite-" + synchronous + "-", ".db");
        Files.delete(file);
        fncache = FunctionCaches.open("sqlite:" + file + "?synchronous=" + synchronous, "bench");
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "session:" + i;
        }
        rawUrl = "jdbc:sqlite:" + file;
        raw = openRaw();
        try (Statement statement = raw.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
        }
        try (PreparedStatement insert = raw.prepareStatement("INSERT OR REPLACE INTO " + TABLE
                + " (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)")) {
            for (String namespace : new String[] {"bench", "raw"}) {
                for (String key : keys) {
                    insert.setString(1, namespace);
                    insert.setBytes(2, key.getBytes(StandardCharsets.UTF_8));
                    insert.setBytes(3, CallSession.encode(CallSession.SAMPLE));
                    insert.setLong(4, System.currentTimeMillis() + 3_600_000);
                    insert.executeUpdate();
                }
            }
        }
        try (Statement statement = raw.createStatement()) {
            statement.execute("COMMIT");
        }
        rawUpsert = raw.prepareStatement("INSERT OR REPLACE INTO " + TABLE
                + " (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)");
        primeEverySide(150);
    }

    private Connection openRaw() throws SQLException {
        Connection connection = DriverManager.getConnection(rawUrl);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 5000");
            statement.execute("PRAGMA synchronous = " + synchronous.toUpperCase());
        }
        return connection;
    }

    private PreparedStatement openRawReader() {
        try {
            Connection reader = openRaw();
            rawReaders.add(reader);
            return reader.prepareStatement("SELECT value FROM " + TABLE + " WHERE namespace = ? AND key = ? AND expires_at > ?");
        } catch (SQLException e) {
            throw new IllegalStateException("could not open a raw reader connection on " + rawUrl, e);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        fncache.close();
        raw.close();
        for (Connection reader : rawReaders) {
            reader.close();
        }
    }

    private String anyKey() {
        return keys[ThreadLocalRandom.current().nextInt(KEYS)];
    }

    @Benchmark
    @Override
    public Object turn() throws SQLException {
        return switch (side) {
            case FNCACHE_GET -> fncacheGet();
            case RAW_GET -> rawGet();
            case FNCACHE_SET -> fncacheSet();
            case RAW_SET -> {
                rawSet();
                yield side;
            }
        };
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private CallSession fncacheGet() {
        return fncache.get(anyKey(), CallSession.class);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private Side fncacheSet() {
        fncache.set(anyKey(), CallSession.SAMPLE, 3600);
        return side;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private CallSession rawGet() throws SQLException {
        PreparedStatement select = rawSelect.get();
        select.setString(1, "raw");
        select.setBytes(2, anyKey().getBytes(StandardCharsets.UTF_8));
        select.setLong(3, System.currentTimeMillis());
        try (ResultSet result = select.executeQuery()) {
            return result.next() ? CallSession.decode(result.getBytes(1)) : null;
        }
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private void rawSet() throws SQLException {
        synchronized (rawUpsert) {
            try (Statement begin = raw.createStatement()) {
                begin.execute("BEGIN IMMEDIATE");
            }
            rawUpsert.setString(1, "raw");
            rawUpsert.setBytes(2, anyKey().getBytes(StandardCharsets.UTF_8));
            rawUpsert.setBytes(3, CallSession.encode(CallSession.SAMPLE));
            rawUpsert.setLong(4, System.currentTimeMillis() + 3_600_000);
            rawUpsert.executeUpdate();
            try (Statement commit = raw.createStatement()) {
                commit.execute("COMMIT");
            }
        }
    }
}
