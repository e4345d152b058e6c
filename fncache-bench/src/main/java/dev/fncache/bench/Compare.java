package dev.fncache.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The comparison run: every fncache benchmark next to its baseline, in the same run, then a table
 * of ratios with targets and verdicts. Raw JMH results are written as JSON under the results
 * directory. Arguments: {@code --full} for longer iterations, {@code --results DIR}.
 */
public final class Compare {

    /** One line of the table: fncache's benchmark against its baseline, and the ratio it must reach. */
    record Row(String operation, String backend, String fncache, String baseline, String target, double minimumRatio) {
    }

    private Compare() {
    }

    public static void main(String[] args) throws Exception {
        boolean full = List.of(args).contains("--full");
        Path results = Path.of(argument(args, "--results", "fncache-bench/results"));
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path data = Path.of(argument(args, "--data", "fncache-bench/target/bench-data")).resolve(stamp).toAbsolutePath();
        Files.createDirectories(results);
        Files.createDirectories(data);

        Map<String, RunResult> byKey = new HashMap<>();
        try (BenchRedis redis = BenchRedis.startIfInstalled(data.resolve("redis"))) {
            if (redis == null) {
                System.out.println("redis-server is not installed: the Redis rows are left out of this run.");
            }
            List<String> jvmArguments = new ArrayList<>(List.of("-Dfncache.bench.data=" + data));
            if (redis != null) {
                jvmArguments.add("-D" + BenchRedis.URL_PROPERTY + "=" + redis.serverUrl());
            }
            String backends = redis == null ? "memory,sqlite" : "memory,sqlite,redis";
            ChainedOptionsBuilder oneThread = options(full, jvmArguments)
                    .include("MemoryBenchmark").include("SqliteBenchmark")
                    .threads(1)
                    .result(results.resolve("jmh-" + stamp + "-1-thread.json").toString());
            if (redis != null) {
                oneThread.include("RedisBenchmark");
            }
            collect(new Runner(oneThread.build()).run(), byKey);
            ChainedOptionsBuilder scaling = options(full, jvmArguments)
                    .include("GetScalingBenchmark").include("KeysScalingBenchmark").include("MapScalingBenchmark")
                    .param("backend", backends.split(","))
                    .warmupIterations(full ? 10 : 6)
                    .threads(1)
                    .result(results.resolve("jmh-" + stamp + "-scaling.json").toString());
            collect(new Runner(scaling.build()).run(), byKey);
            ChainedOptionsBuilder twoThreads = options(full, jvmArguments)
                    .include("MemoryBenchmark")
                    .threads(2)
                    .result(results.resolve("jmh-" + stamp + "-2-threads.json").toString());
            collect(new Runner(twoThreads.build()).run(), byKey);
        }

        String table = table(byKey, stamp);
        System.out.println();
        System.out.println(table);
        Files.writeString(results.resolve("summary-" + stamp + ".md"), table);
        System.out.println("raw results: " + results.toAbsolutePath() + "/jmh-" + stamp + "-*.json");
    }

    private static ChainedOptionsBuilder options(boolean full, List<String> jvmArguments) {
        return new OptionsBuilder()
                .forks(1)
                .warmupIterations(full ? 5 : 3)
                .warmupTime(TimeValue.seconds(full ? 2 : 1))
                .measurementIterations(full ? 10 : 5)
                .measurementTime(TimeValue.seconds(full ? 2 : 1))
                .jvmArgsAppend(jvmArguments.toArray(new String[0]))
                .resultFormat(ResultFormatType.JSON)
                .shouldFailOnError(true);
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            String memory = "memory, " + threads + (threads == 1 ? " thread" : " threads");
            for (String op : new String[] {"Get", "Set"}) {
                rows.add(new Row(op.toLowerCase(Locale.ROOT), memory, "MemoryBenchmark.fncache" + op + "@" + threads,
                        "MemoryBenchmark.map" + op + "@" + threads, ">= 0.8x ConcurrentHashMap + Jackson", 0.8));
                rows.add(new Row(op.toLowerCase(Locale.ROOT), memory, "MemoryBenchmark.fncache" + op + "@" + threads,
                        "MemoryBenchmark.caffeine" + op + "@" + threads, ">= 1.0x Caffeine + Jackson", 1.0));
            }
        }
        for (String synchronous : new String[] {"full", "normal"}) {
            for (String op : new String[] {"Get", "Set"}) {
                rows.add(new Row(op.toLowerCase(Locale.ROOT), "sqlite, synchronous=" + synchronous,
                        "SqliteBenchmark.fncache" + op + "[synchronous=" + synchronous + "]@1",
                        "SqliteBenchmark.raw" + op + "[synchronous=" + synchronous + "]@1",
                        ">= 0.9x raw sqlite-jdbc", 0.9));
            }
        }
        rows.add(new Row("get", "redis", "RedisBenchmark.fncacheGet@1", "RedisBenchmark.rawGet@1", ">= 0.9x raw Lettuce GET", 0.9));
        rows.add(new Row("set", "redis", "RedisBenchmark.fncacheSet@1", "RedisBenchmark.rawSet@1", ">= 0.9x raw Lettuce SET PX", 0.9));
        rows.add(new Row("getMany(100)", "redis", "RedisBenchmark.fncacheGetMany100@1", "RedisBenchmark.rawMget100@1",
                ">= 0.9x raw Lettuce MGET", 0.9));
        rows.add(new Row("getMany(100) vs 100 x get", "redis", "RedisBenchmark.fncacheGetMany100@1",
                "RedisBenchmark.fncacheGet100Singly@1", ">= 20x", 20));
        for (String backend : new String[] {"memory", "sqlite", "redis"}) {
            rows.add(new Row("get, 1M vs 10k keys stored", backend,
                    "GetScalingBenchmark.get[backend=" + backend + ",storedKeys=1000000]@1",
                    "GetScalingBenchmark.get[backend=" + backend + ",storedKeys=10000]@1",
                    "at most 1.5x slower (>= 0.67)", 1 / 1.5));
        }
        rows.add(new Row("get, 1M vs 10k keys stored", "reference: ConcurrentHashMap + Jackson",
                "MapScalingBenchmark.get[storedKeys=1000000]@1", "MapScalingBenchmark.get[storedKeys=10000]@1",
                "none: what a larger working set costs on this machine", 0));
        for (String backend : new String[] {"memory", "sqlite", "redis"}) {
            rows.add(new Row("keys('session:*'), other namespace 1M vs 0 keys", backend,
                    "KeysScalingBenchmark.keysWithPrefix[backend=" + backend + ",otherNamespaceKeys=1000000]@1",
                    "KeysScalingBenchmark.keysWithPrefix[backend=" + backend + ",otherNamespaceKeys=0]@1",
                    "at most 2x slower (>= 0.5)", 0.5));
        }
        return rows;
    }

    private static String table(Map<String, RunResult> byKey, String stamp) {
        StringBuilder out = new StringBuilder();
        out.append("fncache comparison run ").append(stamp).append(" UTC, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append("\n\n");
        out.append("Median of each benchmark's measured iterations; every iteration is in the JSON files.\n\n");
        out.append("| operation | backend | fncache ops/s | baseline ops/s | ratio | target | verdict |\n");
        out.append("|---|---|---:|---:|---:|---|---|\n");
        for (Row row : rows()) {
            RunResult fncache = byKey.get(row.fncache());
            RunResult baseline = byKey.get(row.baseline());
            if (fncache == null || baseline == null) {
                continue;
            }
            double ours = median(fncache);
            double theirs = median(baseline);
            double ratio = ours / theirs;
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %s | %s |%n", row.operation(), row.backend(),
                    opsPerSecond(ours), opsPerSecond(theirs), ratio, row.target(),
                    row.minimumRatio() == 0 ? "-" : ratio >= row.minimumRatio() ? "meets" : "MISSES"));
        }
        return out.toString();
    }

    /** The median iteration: one noisy second on a shared machine moves it less than the mean. */
    private static double median(RunResult result) {
        return result.getPrimaryResult().getStatistics().getPercentile(50);
    }

    private static String opsPerSecond(double score) {
        return score >= 100 ? String.format(Locale.ROOT, "%,.0f", score) : String.format(Locale.ROOT, "%,.1f", score);
    }

    private static void collect(Collection<RunResult> results, Map<String, RunResult> byKey) {
        for (RunResult result : results) {
            byKey.put(key(result), result);
        }
    }

    /** {@code Class.method[param=value,...]@threads}, parameters in name order. */
    private static String key(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        String[] parts = benchmark.split("\\.");
        String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
        Map<String, String> params = new TreeMap<>();
        for (String param : result.getParams().getParamsKeys()) {
            params.put(param, result.getParams().getParam(param));
        }
        String paramText = params.isEmpty() ? "" : params.toString().replace("{", "[").replace("}", "]").replace(", ", ",");
        return name + paramText + "@" + result.getParams().getThreads();
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
