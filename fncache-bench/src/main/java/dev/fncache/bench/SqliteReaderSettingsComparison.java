package dev.fncache.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link SqliteReaderSettingsBenchmark}: each reader setting against SQLite's defaults,
 * median of per-round ratios with their spread.
 * <pre>java -cp fncache-bench/target/fncache-benchmarks.jar dev.fncache.bench.SqliteReaderSettingsComparison</pre>
 */
public final class SqliteReaderSettingsComparison {
    private SqliteReaderSettingsComparison() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Files.createDirectories(Path.of("fncache-bench/target/bench-data/reader-settings")).toAbsolutePath();
        Interleaved.Measured measured = Interleaved.run(
                new Interleaved.Fork("SqliteReaderSettingsBenchmark.turn", Map.of(), 1, SqliteReaderSettingsBenchmark.SIDES),
                new Interleaved.Timing(1_000, 2, 500, 8, 1), List.of("-Dfncache.bench.data=" + data));
        System.out.println();
        System.out.println("| reader setting, 1M keys | reads/s (median turn) | vs defaults: median | spread |");
        System.out.println("|---|---:|---:|---:|");
        for (String side : SqliteReaderSettingsBenchmark.SIDES) {
            RoundRatios ratios = measured.ratios(side, "defaults");
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f-%.2f |%n", side,
                    RoundRatios.median(measured.scores().get(side)), ratios.median(), ratios.min(), ratios.max());
        }
    }
}
