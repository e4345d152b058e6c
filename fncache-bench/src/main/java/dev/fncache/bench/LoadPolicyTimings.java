package dev.fncache.bench;

import dev.fncache.CacheLoadTimeoutException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.LoadPolicy;
import dev.fncache.bench.fixtures.BenchRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The timing targets of {@link LoadPolicy}, which are bounds on single calls rather than
 * throughput ratios, so they are measured here instead of in {@link Compare}'s table: how late
 * past {@code softTimeout} a call answers its stale value while the loader hangs, how late past
 * {@code hardTimeout} a call with no stale value gives up, and how long reads of a hot key under
 * {@code refreshAhead} take next to plain {@code get}s of a present key, in alternating rounds.
 * Each bound's verdict comes from a bootstrap 95% interval of the 99th percentile. Run it with
 * {@code java -cp fncache-bench/target/fncache-benchmarks.jar dev.fncache.bench.LoadPolicyTimings};
 * it uses memory and, when redis-server is installed, a Redis it starts ({@code --refresh-only}:
 * the refresh-ahead rows alone). On Redis it also times how soon a near cache drops a copy another
 * instance overwrote ({@code --near-cache-only}: that row alone).
 */
public final class LoadPolicyTimings {
    private static final Duration SOFT = Duration.ofMillis(20);
    private static final Duration HARD = Duration.ofMillis(100);
    private static final double SOFT_BOUND_MILLIS = 5;
    private static final double HARD_BOUND_MILLIS = 50;
    private static final double SLOW_READ_MILLIS = 5;
    private static final double NEAR_CACHE_DROP_BOUND_MILLIS = 50;
    private static final int RESAMPLES = 2_000;
    private static final int[] THREADS = {1, 16};
    private static int namespaces;

    private LoadPolicyTimings() {
    }

    public static void main(String[] args) throws Exception {
        Path scratch = Files.createTempDirectory("fncache-timings");
        List<String> table = new ArrayList<>(List.of("| measured | backend, threads | calls | p50 | p99 (95% interval) | max | "
                + "target | verdict |", "|---|---|---:|---:|---:|---:|---|---|"));
        try (BenchRedis redis = BenchRedis.startIfInstalled(scratch)) {
            Map<String, String> backends = new LinkedHashMap<>();
            backends.put("memory", "memory:timings");
            if (redis != null) {
                backends.put("redis", redis.serverUrl());
            }
            boolean refreshOnly = List.of(args).contains("--refresh-only");
            boolean nearCacheOnly = List.of(args).contains("--near-cache-only");
            if (redis != null) {
                table.add(row("near cache: ms from another instance's write returning until a reader holding the old "
                        + "value reads the new", "redis, 1 reader", nearCacheDrops(redis.serverUrl(), 1_000), "p99 <= 50 ms",
                        NEAR_CACHE_DROP_BOUND_MILLIS));
            }
            for (Map.Entry<String, String> backend : nearCacheOnly ? Map.<String, String>of().entrySet() : backends.entrySet()) {
                for (int threads : refreshOnly ? new int[0] : THREADS) {
                    String setting = backend.getKey() + ", " + threads + (threads == 1 ? " thread" : " threads");
                    table.add(row("softTimeout 20 ms, loader hangs: ms past the soft timeout", setting,
                            pastSoftTimeout(backend.getValue(), threads), "p99 <= 5 ms", SOFT_BOUND_MILLIS));
                    table.add(row("hardTimeout 100 ms, no stale value: ms past the hard timeout", setting,
                            pastHardTimeout(backend.getValue(), threads), "p99 <= 50 ms", HARD_BOUND_MILLIS));
                }
                String setting = backend.getKey() + ", 16 threads";
                RefreshRounds reads = refreshAheadAgainstGet(backend.getValue(), 16);
                table.add(slowReadsRow("read of a hot key, refreshAhead(0.8) of a 1 s TTL (ms)", setting, reads.hot()));
                table.add(slowReadsRow("get of a present key, the rounds between (ms)", setting, reads.plain()));
                table.add(excessSlowReadsRow(setting, reads.hot(), reads.plain()));
                table.add(overlapRow(setting, reads));
            }
        }
        String report = "# LoadPolicy timings, " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " ("
                + Runtime.getRuntime().availableProcessors() + " cores, JDK " + Runtime.version() + ")\n\n"
                + String.join("\n", table) + "\n";
        System.out.print(report);
        Path results = Path.of("fncache-bench", "results");
        if (Files.isDirectory(results)) {
            Path file = results.resolve("timings-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
            Files.writeString(file, report);
            System.out.println("\nwritten to " + file);
        }
    }

    /**
     * Per round: a reader with a near cache reads a key until its copy answers (its reads stop
     * reaching Redis), another instance overwrites the key, and the reader reads in a loop until
     * it sees the new value; the time from the write returning to the first read of the new value.
     */
    private static List<Double> nearCacheDrops(String url, int rounds) throws Exception {
        String namespace = namespace();
        List<Double> drops = new ArrayList<>(rounds);
        try (FunctionCache writer = FunctionCaches.open(url, namespace);
                FunctionCache reader = FunctionCaches.open(url + "?nearCache=100", namespace)) {
            for (int round = 0; round < rounds; round++) {
                writer.set("held", round, 60);
                for (int read = 0; read < 20; read++) {
                    reader.get("held", Integer.class);
                    sleepQuietly(1);
                }
                writer.set("held", -round - 1, 60);
                long written = System.nanoTime();
                while (reader.get("held", Integer.class) != -round - 1) {
                    Thread.onSpinWait();
                }
                drops.add(millisSince(written));
            }
        }
        return drops;
    }

    /** Milliseconds past SOFT of calls answering the stale value while the loader hangs. */
    private static List<Double> pastSoftTimeout(String url, int threads) throws Exception {
        LoadPolicy policy = LoadPolicy.ttl(Duration.ofSeconds(1)).staleFor(Duration.ofHours(1)).softTimeout(SOFT);
        try (FunctionCache cache = FunctionCaches.open(url, namespace())) {
            cache.getOrSet("customer", String.class, policy, () -> "Alice");
            Thread.sleep(1_100);
            CountDownLatch directory = new CountDownLatch(1);
            Supplier<String> hanging = hangingUntil(directory);
            try {
                return callers(threads, 2_000 / threads + 50, () -> {
                    long started = System.nanoTime();
                    String answer = cache.getOrSet("customer", String.class, policy, hanging);
                    if (!"Alice".equals(answer)) {
                        throw new IllegalStateException("expected the stale value, got " + answer);
                    }
                    return millisSince(started) - SOFT.toMillis();
                });
            } finally {
                directory.countDown();
            }
        }
    }

    /** Milliseconds past HARD of calls with no stale value while the loader hangs. */
    private static List<Double> pastHardTimeout(String url, int threads) throws Exception {
        LoadPolicy policy = LoadPolicy.ttl(Duration.ofHours(1)).hardTimeout(HARD);
        try (FunctionCache cache = FunctionCaches.open(url, namespace())) {
            CountDownLatch directory = new CountDownLatch(1);
            Supplier<String> hanging = hangingUntil(directory);
            try {
                return callers(threads, 500 / threads + 20, () -> {
                    long started = System.nanoTime();
                    try {
                        cache.getOrSet("customer", String.class, policy, hanging);
                        throw new IllegalStateException("expected CacheLoadTimeoutException");
                    } catch (CacheLoadTimeoutException expected) {
                        return millisSince(started) - HARD.toMillis();
                    }
                });
            } finally {
                directory.countDown();
            }
        }
    }

    /**
     * Read times of a hot key under refreshAhead (a loader of 20 ms) and of plain gets, in six
     * alternating rounds of two seconds (two TTLs) each, after one unmeasured round of each (the
     * JIT's warm-up, which would otherwise fall on the first round), each thread reading about
     * once a millisecond. During the gets' rounds one thread reads the hot key every 100 ms, as a hot
     * key's readers would, so that it does not expire unread between the rounds.
     */
    private static RefreshRounds refreshAheadAgainstGet(String url, int threads) throws Exception {
        LoadPolicy policy = LoadPolicy.ttl(Duration.ofSeconds(1)).refreshAhead(0.8);
        List<long[]> reloads = Collections.synchronizedList(new ArrayList<>());
        Supplier<String> directory = () -> {
            long began = System.nanoTime();
            sleepQuietly(20);
            reloads.add(new long[] {began, System.nanoTime()});
            return "loaded at " + System.nanoTime();
        };
        List<long[]> slowHot = Collections.synchronizedList(new ArrayList<>());
        List<Double> hot = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        try (FunctionCache cache = FunctionCaches.open(url, namespace())) {
            cache.set("present", "value", Duration.ofHours(1));
            cache.getOrSet("hot", String.class, policy, directory);
            for (int round = -2; round < 6; round++) {
                boolean refreshing = round % 2 == 0;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                Thread keeper = new Thread(() -> {
                    while (!refreshing && System.nanoTime() < until) {
                        cache.getOrSet("hot", String.class, policy, directory);
                        sleepQuietly(100);
                    }
                });
                keeper.start();
                List<Double> times = callersUntil(threads, until, () -> {
                    long started = System.nanoTime();
                    String value = refreshing ? cache.getOrSet("hot", String.class, policy, directory)
                            : cache.get("present", String.class);
                    long ended = System.nanoTime();
                    double took = (ended - started) / 1e6;
                    if (value == null) {
                        throw new IllegalStateException("a read missed");
                    }
                    if (refreshing && took > SLOW_READ_MILLIS) {
                        slowHot.add(new long[] {started, ended});
                    }
                    sleepQuietly(1);
                    return took;
                });
                keeper.join();
                if (round >= 0) {
                    (refreshing ? hot : plain).addAll(times);
                } else {
                    slowHot.clear();
                    reloads.clear();
                }
            }
        }
        long slowDuringReload = slowHot.stream()
                .filter(read -> reloads.stream().anyMatch(reload -> read[0] < reload[1] && read[1] > reload[0])).count();
        long measuredNanos = TimeUnit.SECONDS.toNanos(2) * 3;
        double byChance = slowHot.stream().mapToDouble(read -> Math.min(1.0, reloads.stream()
                .mapToDouble(reload -> (reload[1] - reload[0]) + (read[1] - read[0])).sum() / measuredNanos)).sum();
        return new RefreshRounds(hot, plain, slowHot.size(), slowDuringReload, byChance, reloads.size());
    }

    /**
     * The read times of {@link #refreshAheadAgainstGet}; how many hot reads were slow, how many of
     * those overlapped a reload, and how many would have by chance (each slow read's chance of
     * overlapping one of the reloads, had it fallen anywhere in the rounds).
     */
    private record RefreshRounds(List<Double> hot, List<Double> plain, long slow, long slowDuringReload,
            double slowDuringReloadByChance, int reloads) {
    }

    /**
     * Whether slow hot reads cluster on the reloads: a reload the readers waited for would slow
     * every thread's read during it (about 16 each), where the slow reads the machine makes anyway
     * fall on a reload as often as the reloads cover the rounds. The verdict misses when the count
     * is above the 97.5% point of a Poisson count with the chance expectation as its mean.
     */
    private static String overlapRow(String setting, RefreshRounds reads) {
        double expected = reads.slowDuringReloadByChance();
        long bound = poissonQuantile(expected, 0.975);
        String verdict = reads.slowDuringReload() <= bound ? "meets" : "misses";
        return "| refreshAhead reads over 5 ms that overlapped a reload | " + setting + " | " + reads.hot().size()
                + " | | | | no read waits on the reload: no more than by chance | " + reads.slowDuringReload() + " of "
                + reads.slow() + " slow, during " + reads.reloads() + " reloads; by chance "
                + String.format(Locale.ROOT, "%.1f", expected) + ", at most " + bound + " (" + verdict + ") |";
    }

    /** The least count whose Poisson({@code mean}) cumulative probability reaches {@code level}. */
    private static long poissonQuantile(double mean, double level) {
        double term = Math.exp(-mean);
        double cumulative = term;
        long count = 0;
        while (cumulative < level) {
            count++;
            term *= mean / count;
            cumulative += term;
        }
        return count;
    }

    private static List<Double> callers(int threads, int callsEach, Callable<Double> call) throws Exception {
        return run(threads, () -> {
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < callsEach; i++) {
                times.add(call.call());
            }
            return times;
        });
    }

    private static List<Double> callersUntil(int threads, long untilNanos, Callable<Double> call) throws Exception {
        return run(threads, () -> {
            List<Double> times = new ArrayList<>();
            while (System.nanoTime() < untilNanos) {
                times.add(call.call());
            }
            return times;
        });
    }

    private static List<Double> run(int threads, Callable<List<Double>> each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Double>>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(each));
            }
            List<Double> all = new ArrayList<>();
            for (Future<List<Double>> one : running) {
                all.addAll(one.get(5, TimeUnit.MINUTES));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String row(String measured, String setting, List<Double> values, String target, double bound) {
        double[] interval = p99Interval(values);
        String verdict = interval[1] <= bound ? "meets" : interval[0] > bound ? "misses" : "undecided";
        return "| " + measured + " | " + setting + " | " + values.size() + " | " + f(percentile(values, 0.50)) + " | "
                + f(percentile(values, 0.99)) + " (" + f(interval[0]) + "-" + f(interval[1]) + ") | " + f(Collections.max(values))
                + " | " + target + " | " + verdict + " |";
    }

    private static String slowReadsRow(String measured, String setting, List<Double> values) {
        double[] interval = p99Interval(values);
        long slow = values.stream().filter(value -> value > SLOW_READ_MILLIS).count();
        return "| " + measured + " | " + setting + " | " + values.size() + " | " + f(percentile(values, 0.50)) + " | "
                + f(percentile(values, 0.99)) + " (" + f(interval[0]) + "-" + f(interval[1]) + ") | " + f(Collections.max(values))
                + " | no read over 5 ms | " + slow + " over 5 ms (" + String.format(Locale.ROOT, "%.3f", 100.0 * slow / values.size())
                + "%) |";
    }

    /**
     * The share of refreshAhead reads over 5 ms less the share of gets over 5 ms, with a bootstrap
     * 95% interval: whether reads under refreshAhead wait longer than plain reads do, which is
     * what the target "no read waits more than 5 ms" asks of the policy when a plain get on this
     * machine is itself over 5 ms now and then (the row above counts those).
     */
    private static String excessSlowReadsRow(String setting, List<Double> hot, List<Double> plain) {
        SplittableRandom random = new SplittableRandom(0x5eed_f0cacL);
        List<Double> estimates = new ArrayList<>(RESAMPLES);
        for (int r = 0; r < RESAMPLES; r++) {
            estimates.add(100 * (resampledSlowShare(hot, random) - resampledSlowShare(plain, random)));
        }
        double excess = 100 * (slowShare(hot) - slowShare(plain));
        double low = percentile(estimates, 0.025);
        double high = percentile(estimates, 0.975);
        String verdict = low > 0 ? "misses: more reads over 5 ms than get's"
                : high < 0 ? "meets: fewer reads over 5 ms than get's" : "meets: as many reads over 5 ms as get's";
        return "| refreshAhead reads over 5 ms less gets over 5 ms (percentage points) | " + setting + " | "
                + (hot.size() + plain.size()) + " | | " + String.format(Locale.ROOT, "%+.3f (%+.3f to %+.3f)", excess, low, high)
                + " | | no read waits on the reload | " + verdict + " |";
    }

    private static double slowShare(List<Double> values) {
        return values.stream().filter(value -> value > SLOW_READ_MILLIS).count() / (double) values.size();
    }

    private static double resampledSlowShare(List<Double> values, SplittableRandom random) {
        long slow = 0;
        for (int i = 0; i < values.size(); i++) {
            if (values.get(random.nextInt(values.size())) > SLOW_READ_MILLIS) {
                slow++;
            }
        }
        return slow / (double) values.size();
    }

    /** A percentile bootstrap 95% interval of the 99th percentile. */
    private static double[] p99Interval(List<Double> values) {
        SplittableRandom random = new SplittableRandom(0x5eed_f0cacL);
        double[] sample = new double[values.size()];
        List<Double> estimates = new ArrayList<>(RESAMPLES);
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < sample.length; i++) {
                sample[i] = values.get(random.nextInt(sample.length));
            }
            java.util.Arrays.sort(sample);
            estimates.add(sample[(int) Math.ceil(0.99 * sample.length) - 1]);
        }
        return new double[] {percentile(estimates, 0.025), percentile(estimates, 0.975)};
    }

    private static double percentile(List<Double> values, double fraction) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(fraction * sorted.size()) - 1));
    }

    private static String f(double millis) {
        return String.format(Locale.ROOT, "%.2f", millis);
    }

    private static double millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e6;
    }

    private static String namespace() {
        return "timings-" + ProcessHandle.current().pid() + "-" + ++namespaces;
    }

    /** A loader that hangs until {@code directory} opens (at the end of its measurement). */
    private static Supplier<String> hangingUntil(CountDownLatch directory) {
        return () -> {
            awaitQuietly(directory);
            return "late";
        };
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
