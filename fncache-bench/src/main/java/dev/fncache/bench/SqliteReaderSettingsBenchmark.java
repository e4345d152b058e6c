package dev.fncache.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The experiment that chose the SQLite reader settings: random point reads from a 1,000,000-key
 * file through three raw reader connections, one with SQLite's defaults (2 MB page cache, no
 * memory map), one with a 64 MB page cache, one with a 256 MB memory map; the sides take turns
 * (see {@link Interleaved}).
 * <pre>java -cp fncache-bench/target/fncache-benchmarks.jar dev.fncache.bench.SqliteReaderSettingsComparison</pre>
 */
@State(Scope.Benchmark)
public class SqliteReaderSettingsBenchmark extends InterleavedState {
    static final List<String> SIDES = List.of("defaults", "cacheSize64MB", "mmap256MB");
    static final String[] PRAGMAS = {null, "PRAGMA cache_size = -65536", "PRAGMA mmap_size = 268435456"};
    static final int KEYS = 1_000_000;

    @Param("defaults,cacheSize64MB,mmap256MB")
    public String sides;

    final Connection[] readers = new Connection[SIDES.size()];
    final PreparedStatement[] selects = new PreparedStatement[SIDES.size()];

    @Setup(Level.Trial)
    public void open() throws Exception {
        takeTurns(sides, SIDES);
        ScalingData.open("sqlite", KEYS, ScalingData.BIG).close();
        String file = ScalingData.dataDirectory().resolve("scaling-" + KEYS + ".db").toString();
        for (int s = 0; s < readers.length; s++) {
            readers[s] = DriverManager.getConnection("jdbc:sqlite:" + file);
            if (PRAGMAS[s] != null) {
                try (Statement statement = readers[s].createStatement()) {
                    statement.execute(PRAGMAS[s]);
                }
            }
            selects[s] = readers[s].prepareStatement(
                    "SELECT value FROM fncache_entries WHERE namespace = ? AND key = ? AND expires_at > ?");
        }
        ScalingData.settleHeap();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        for (Connection reader : readers) {
            reader.close();
        }
    }

    @Benchmark
    @Override
    public Object turn() throws SQLException {
        PreparedStatement select = selects[side];
        select.setString(1, ScalingData.BIG);
        select.setBytes(2, ScalingData.bigKey(ThreadLocalRandom.current().nextInt(KEYS)).getBytes(StandardCharsets.UTF_8));
        select.setLong(3, System.currentTimeMillis());
        try (ResultSet result = select.executeQuery()) {
            return result.next() ? CallSession.decode(result.getBytes(1)) : null;
        }
    }
}
