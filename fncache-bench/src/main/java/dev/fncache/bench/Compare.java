package dev.fncache.bench;

import dev.fncache.bench.fixtures.BenchRedis;
import dev.fncache.bench.harness.Interleaved;
import dev.fncache.bench.harness.RoundRatios;
import dev.fncache.bench.rows.RateLimitBenchmark;
import dev.fncache.bench.rows.KeysScalingBenchmark;
import dev.fncache.bench.rows.GetScalingBenchmark;
import dev.fncache.bench.rows.GroupCommitComparison;
import dev.fncache.bench.rows.MemoryBenchmark;
import dev.fncache.bench.rows.RedisBenchmark;
import dev.fncache.bench.rows.SqliteBenchmark;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison run: every fncache benchmark against its baseline, the two taking turns in short
 * rounds inside a fork ({@link Interleaved}); each operation has its own forks, holding only that
 * operation's sides, so one operation's allocation and compiled code cannot weigh on another's
 * row. Then a table of median ratios with their bootstrap 95% intervals,
 * targets and verdicts. {@code --quick} runs the rows that matter most (1 and 16 threads) in
 * under 3 minutes on 2 cores; the default, full mode adds 4 threads, SQLite's
 * {@code synchronous=normal}, the scaling rows and group commit, with longer turns. Raw JMH
 * results are written as JSON under {@code --results DIR} (default {@code fncache-bench/results});
 * {@code --only TEXT} runs just the rows whose operation and backend ({@code "get with statistics,
 * memory, 16 threads"}) contain TEXT ({@code --only "group commit"}: group commit alone).
 */
public final class Compare {
    /**
     * Many short turns: over three runs each, medians of 25 rounds of 60 ms turns moved less
     * between runs than medians of 9 rounds of 175 ms; 21 rounds keep the run under 3 minutes.
     */
    private static final Interleaved.Timing QUICK = new Interleaved.Timing(500, 2, 60, 21, 1);
    /**
     * Durable SQLite writes in quick mode: an fsync on this class of shared disk takes from tens of
     * microseconds to milliseconds, so a turn must hold hundreds of them to measure a rate.
     */
    private static final Interleaved.Timing QUICK_DURABLE_WRITES = new Interleaved.Timing(500, 2, 250, 8, 1);
    private static final Interleaved.Timing FULL = new Interleaved.Timing(1_500, 2, 500, 8, 2);
    private static final int GROUP_COMMIT_ROUNDS = 5;

    /** One line of the table: side {@code side} of a fork against side {@code baseline} of the same fork. */
    record Row(String operation, String setting, Interleaved.Fork fork, Enum<?> side, Enum<?> baseline, String target,
            double minimumRatio, boolean quick) {
    }

    private Compare() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path results = Path.of(argument(args, "--results", "fncache-bench/results"));
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path data = Path.of(argument(args, "--data", "fncache-bench/target/bench-data")).resolve(stamp).toAbsolutePath();
        Files.createDirectories(results);
        Files.createDirectories(data);
        long started = System.nanoTime();
        String only = argument(args, "--only", "");
        String loadBefore = loadAverage();

        StringBuilder table = new StringBuilder();
        List<RunResult> raw = new ArrayList<>();
        try (BenchRedis redis = BenchRedis.startIfInstalled(data.resolve("redis"))) {
            if (redis == null) {
                System.out.println("redis-server is not installed: the Redis rows are left out of this run.");
            }
            List<String> jvmArguments = new ArrayList<>(List.of("-Dfncache.bench.data=" + data));
            if (redis != null) {
                jvmArguments.add("-D" + BenchRedis.URL_PROPERTY + "=" + redis.serverUrl());
            }
            List<Row> rows = rows(redis != null).stream().filter(row -> !quick || row.quick())
                    .filter(row -> (row.operation() + ", " + row.setting()).contains(only)).toList();
            Map<Interleaved.Fork, Interleaved.Measured> measured = new LinkedHashMap<>();
            for (Row row : rows) {
                if (!measured.containsKey(row.fork())) {
                    Interleaved.Measured fork = Interleaved.run(row.fork(), timing(row.fork(), quick), jvmArguments);
                    measured.put(row.fork(), fork);
                    raw.add(fork.raw());
                }
            }
            header(table, stamp, quick, only, loadBefore);
            for (Row row : rows) {
                appendRow(table, row, measured.get(row.fork()));
            }
            if (!quick && "group commit".contains(only)) {
                appendGroupCommit(table, GroupCommitComparison.measure(GROUP_COMMIT_ROUNDS, jvmArguments));
            }
        }
        table.append(String.format(Locale.ROOT, "%nThe whole run took %.1f minutes.%n", (System.nanoTime() - started) / 60e9));
        System.out.println();
        System.out.println(table);
        Files.writeString(results.resolve("summary-" + stamp + (quick ? "-quick" : "") + ".md"), table);
        Path json = results.resolve("jmh-" + stamp + (quick ? "-quick" : "") + ".json");
        try (PrintStream out = new PrintStream(Files.newOutputStream(json), true, "UTF-8")) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(raw);
        }
        System.out.println("raw results: " + json.toAbsolutePath());
    }

    private static List<Row> rows(boolean withRedis) {
        List<Row> rows = new ArrayList<>();
        for (int threads : new int[] {1, 4, 16}) {
            boolean quick = threads != 4;
            for (String op : new String[] {"get", "set"}) {
                boolean get = op.equals("get");
                MemoryBenchmark.Side fncache = get ? MemoryBenchmark.Side.FNCACHE_GET : MemoryBenchmark.Side.FNCACHE_SET;
                MemoryBenchmark.Side map = get ? MemoryBenchmark.Side.MAP_GET : MemoryBenchmark.Side.MAP_SET;
                MemoryBenchmark.Side caffeine = get ? MemoryBenchmark.Side.CAFFEINE_GET : MemoryBenchmark.Side.CAFFEINE_SET;
                Interleaved.Fork fork = Interleaved.Fork.of("MemoryBenchmark.turn", Map.of(), threads, fncache, map, caffeine);
                rows.add(new Row(op, "memory, " + threads(threads), fork, fncache, map,
                        ">= 0.8x ConcurrentHashMap + Jackson", 0.8, quick));
                rows.add(new Row(op, "memory, " + threads(threads), fork, fncache, caffeine,
                        ">= 1.0x Caffeine + Jackson", 1.0, quick));
            }
        }
        for (int threads : new int[] {1, 16}) {
            for (String op : new String[] {"get", "set"}) {
                boolean get = op.equals("get");
                MemoryBenchmark.Side recorded = get ? MemoryBenchmark.Side.RECORDED_GET : MemoryBenchmark.Side.RECORDED_SET;
                MemoryBenchmark.Side plain = get ? MemoryBenchmark.Side.FNCACHE_GET : MemoryBenchmark.Side.FNCACHE_SET;
                rows.add(new Row(op + " with statistics", "memory, " + threads(threads),
                        Interleaved.Fork.of("MemoryBenchmark.turn", Map.of(), threads, recorded, plain),
                        recorded, plain, ">= 0.95x the same cache without a recorder", 0.95, false));
            }
        }
        for (String synchronous : new String[] {"full", "normal"}) {
            for (int threads : new int[] {1, 4, 16}) {
                for (String op : new String[] {"get", "set"}) {
                    boolean get = op.equals("get");
                    SqliteBenchmark.Side fncache = get ? SqliteBenchmark.Side.FNCACHE_GET : SqliteBenchmark.Side.FNCACHE_SET;
                    SqliteBenchmark.Side raw = get ? SqliteBenchmark.Side.RAW_GET : SqliteBenchmark.Side.RAW_SET;
                    Interleaved.Fork fork = Interleaved.Fork.of("SqliteBenchmark.turn", Map.of("synchronous", synchronous),
                            threads, fncache, raw);
                    rows.add(new Row(op, "sqlite synchronous=" + synchronous + ", " + threads(threads), fork,
                            fncache, raw, ">= 0.9x raw sqlite-jdbc", 0.9, synchronous.equals("full") && threads != 4));
                }
            }
        }
        if (withRedis) {
            for (int threads : new int[] {1, 4, 16}) {
                boolean quick = threads != 4;
                rows.add(redisRow("get", threads, RedisBenchmark.Side.FNCACHE_GET, RedisBenchmark.Side.RAW_GET,
                        ">= 0.9x raw Lettuce GET", 0.9, quick));
                rows.add(redisRow("set", threads, RedisBenchmark.Side.FNCACHE_SET, RedisBenchmark.Side.RAW_SET,
                        ">= 0.7x raw Lettuce SET PX", 0.7, quick));
                rows.add(redisRow("getMany(100)", threads, RedisBenchmark.Side.FNCACHE_GET_MANY_100,
                        RedisBenchmark.Side.RAW_MGET_100, ">= 0.9x raw Lettuce MGET", 0.9, quick));
            }
            for (int threads : new int[] {1, 16}) {
                rows.add(redisRow("get, near cache hit vs raw GET", threads, RedisBenchmark.Side.FNCACHE_NEAR_GET,
                        RedisBenchmark.Side.RAW_GET, ">= 20x raw Lettuce GET", 20, true));
                rows.add(redisRow("get, near cache hit of a mutable type vs raw GET", threads,
                        RedisBenchmark.Side.FNCACHE_NEAR_GET_MUTABLE, RedisBenchmark.Side.RAW_GET,
                        "none: each hit decodes its copy", 0, true));
                rows.add(redisRow("FCALL set, announced vs unannounced", threads, RedisBenchmark.Side.RAW_FCALL_SET,
                        RedisBenchmark.Side.RAW_FCALL_SET_UNANNOUNCED, "none: what announcing costs a write no near cache hears", 0,
                        true));
            }
            for (int threads : new int[] {1, 16}) {
                rows.add(redisRow("set with replicaAcks=1 vs without", threads, RedisBenchmark.Side.FNCACHE_SET_REPLICA_ACKS,
                        RedisBenchmark.Side.FNCACHE_SET, "none: what waiting for the replica costs a write", 0, false));
            }
            rows.add(redisRow("getOrSetMany(100), all present, vs getMany(100)", 1, RedisBenchmark.Side.FNCACHE_GET_OR_SET_MANY_100,
                    RedisBenchmark.Side.FNCACHE_GET_MANY_100, "one MGET for the hits (>= 0.9)", 0.9, false));
            rows.add(redisRow("getMany(100) vs 100 x get", 1, RedisBenchmark.Side.FNCACHE_GET_MANY_100,
                    RedisBenchmark.Side.FNCACHE_GET_100_SINGLY, ">= 20x", 20, false));
        }
        for (String backend : new String[] {"memory", "sqlite", "sqlite-full"}) {
            rows.add(new Row("rateLimit, limit 10,000 vs limit 10", backend.replace("sqlite-full", "sqlite synchronous=full")
                    .replace("sqlite", backend.equals("sqlite") ? "sqlite synchronous=normal" : "sqlite") + ", 1 thread",
                    Interleaved.Fork.of("RateLimitBenchmark.turn", Map.of("backend", backend), 1,
                            RateLimitBenchmark.Limit.LIMIT_10, RateLimitBenchmark.Limit.LIMIT_10000),
                    RateLimitBenchmark.Limit.LIMIT_10000, RateLimitBenchmark.Limit.LIMIT_10,
                    "cost does not grow with the limit (>= 0.5)", 0.5, false));
        }
        for (RateLimitBenchmark.Limit algorithm : new RateLimitBenchmark.Limit[] {RateLimitBenchmark.Limit.FIXED_WINDOW_BILLION,
                RateLimitBenchmark.Limit.TOKEN_BUCKET_BILLION}) {
            String name = algorithm == RateLimitBenchmark.Limit.FIXED_WINDOW_BILLION ? "fixedWindow" : "tokenBucket";
            rows.add(new Row("rateLimit " + name + ", limit 1,000,000,000 vs slidingWindow limit 10", "memory, 1 thread",
                    Interleaved.Fork.of("RateLimitBenchmark.turn", Map.of("backend", "memory"), 1, algorithm,
                            RateLimitBenchmark.Limit.LIMIT_10),
                    algorithm, RateLimitBenchmark.Limit.LIMIT_10, "O(1) state: as fast as a small log (>= 0.9)", 0.9, false));
        }
        for (String backend : withRedis ? new String[] {"memory", "sqlite", "redis", "map"} : new String[] {"memory", "sqlite", "map"}) {
            boolean reference = backend.equals("map");
            rows.add(new Row("get, 1M vs 10k keys stored",
                    reference ? "reference: ConcurrentHashMap + Jackson" : backend + ", 1 thread",
                    Interleaved.Fork.of("GetScalingBenchmark.turn", Map.of("backend", backend), 1,
                            GetScalingBenchmark.Side.MILLION_KEYS, GetScalingBenchmark.Side.TEN_THOUSAND_KEYS),
                    GetScalingBenchmark.Side.MILLION_KEYS, GetScalingBenchmark.Side.TEN_THOUSAND_KEYS,
                    reference ? "none: what a larger working set costs on this machine" : "at most 1.5x slower (>= 0.67)",
                    reference ? 0 : 1 / 1.5, false));
        }
        for (String backend : withRedis ? new String[] {"memory", "sqlite", "redis"} : new String[] {"memory", "sqlite"}) {
            rows.add(new Row("keys('session:*'), other namespace 1M vs 0 keys", backend + ", 1 thread",
                    Interleaved.Fork.of("KeysScalingBenchmark.turn", Map.of("backend", backend), 1,
                            KeysScalingBenchmark.Side.MILLION_OTHER_KEYS, KeysScalingBenchmark.Side.NO_OTHER_KEYS),
                    KeysScalingBenchmark.Side.MILLION_OTHER_KEYS, KeysScalingBenchmark.Side.NO_OTHER_KEYS,
                    "at most 2x slower (>= 0.5)", 0.5, false));
        }
        return rows;
    }

    private static Interleaved.Timing timing(Interleaved.Fork fork, boolean quick) {
        if (!quick) {
            return FULL;
        }
        return durableWrites(fork) ? QUICK_DURABLE_WRITES : QUICK;
    }

    private static boolean durableWrites(Interleaved.Fork fork) {
        return fork.benchmark().startsWith("SqliteBenchmark.") && "full".equals(fork.params().get("synchronous"))
                && fork.sides().stream().anyMatch(side -> side.endsWith("_SET"));
    }

    private static Row redisRow(String operation, int threads, RedisBenchmark.Side side, RedisBenchmark.Side baseline,
            String target, double minimum, boolean quick) {
        Interleaved.Fork fork = Interleaved.Fork.of("RedisBenchmark.turn", Map.of(), threads, side, baseline);
        return new Row(operation, "redis, " + threads(threads), fork, side, baseline, target, minimum, quick);
    }

    /**
     * The 1, 5 and 15 minute load averages ({@code /proc/loadavg}): work other than this run's
     * takes the cores from fncache's side more than from a baseline's that does less per call,
     * so a loaded machine lowers the ratios, not only the ops/s.
     */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void header(StringBuilder table, String stamp, boolean quick, String only, String loadBefore) {
        table.append("fncache comparison run ").append(stamp).append(" UTC").append(quick ? " (--quick)" : "")
                .append(only.isEmpty() ? "" : " (--only \"" + only + "\")")
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name"))
                .append(' ').append(System.getProperty("os.arch")).append(", load average before the run ")
                .append(loadBefore).append("\n\n");
        Interleaved.Timing timing = quick ? QUICK : FULL;
        table.append(String.format(Locale.ROOT, "The sides of a row take turns in %s: %d warm-up rounds of %d ms turns, "
                + "then %d measured rounds of %d ms turns, each round in the opposite order of the one before (A B, B A); "
                + "ops/s are each side's median turn, the ratio is the median of the %d per-round ratios, the interval "
                + "a bootstrap 95%% confidence interval of that median, and the verdict is meets when the interval lies "
                + "above the target, MISSES when below it, and undecided when it straddles it (the full run's longer "
                + "turns and second fork decide more rows).", timing.forks() == 1 ? "one fork" : "each of " + timing.forks() + " forks",
                timing.warmupRounds(), timing.warmupMillis(), timing.measuredRounds(), timing.iterationMillis(),
                timing.rounds()));
        if (quick) {
            table.append(String.format(Locale.ROOT, " Durable SQLite writes (synchronous=full) take %d measured rounds of "
                    + "%d ms turns instead.", QUICK_DURABLE_WRITES.measuredRounds(), QUICK_DURABLE_WRITES.iterationMillis()));
        }
        table.append(String.format(Locale.ROOT, "%n%n"));
        table.append("| operation | backend, threads | fncache ops/s | baseline ops/s | ratio | 95% interval | target | verdict |\n");
        table.append("|---|---|---:|---:|---:|---:|---|---|\n");
    }

    private static void appendRow(StringBuilder table, Row row, Interleaved.Measured measured) {
        RoundRatios ratios = measured.ratios(row.side().name(), row.baseline().name());
        RoundRatios.Interval interval = ratios.interval();
        table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.2f-%.2f | %s | %s |%n",
                row.operation(), row.setting(),
                opsPerSecond(RoundRatios.median(measured.scores().get(row.side().name()))),
                opsPerSecond(RoundRatios.median(measured.scores().get(row.baseline().name()))),
                ratios.median(), interval.low(), interval.high(),
                row.target(), row.minimumRatio() == 0 ? "-" : ratios.verdict(row.minimumRatio()).text()));
    }

    private static void appendGroupCommit(StringBuilder table, Map<String, RoundRatios> scaling) {
        table.append(String.format(Locale.ROOT, "%nGroup commit: durable set (sqlite synchronous=full) on N threads of one "
                + "process against 1 thread, fresh forks alternating over %d rounds.%n%n", GROUP_COMMIT_ROUNDS));
        table.append("| writers | vs 1 thread: median | 95% interval | target | verdict |\n|---|---:|---:|---|---|\n");
        scaling.values().forEach(r -> {
            String threads = r.name().substring(r.name().indexOf('@') + 1);
            boolean sixteen = threads.equals("16");
            RoundRatios.Interval interval = r.interval();
            table.append(String.format(Locale.ROOT, "| %s threads | %.2f | %.2f-%.2f | %s | %s |%n", threads, r.median(),
                    interval.low(), interval.high(), sixteen ? ">= 4x" : "none", !sixteen ? "-" : r.verdict(4).text()));
        });
    }

    private static String threads(int threads) {
        return threads + (threads == 1 ? " thread" : " threads");
    }

    private static String opsPerSecond(double score) {
        return score >= 100 ? String.format(Locale.ROOT, "%,.0f", score) : String.format(Locale.ROOT, "%,.1f", score);
    }

    private static String argument(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
