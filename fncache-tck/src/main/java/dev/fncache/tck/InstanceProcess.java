package dev.fncache.tck;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Another instance of a function as a real process: a JVM on the test's class path that opens a
 * cache on the same store and runs one task on several threads when told "go" on its standard
 * input. Its {@link #main} is the child's side; {@link #start} gives the parent a {@link ChildJvm}.
 */
public final class InstanceProcess {

    /** The rules of {@code rate-limits}: each algorithm at a limit of 100, none refilling or reopening during a test. */
    static final List<dev.fncache.RateLimitRule> RATE_LIMIT_RULES = List.of(
            dev.fncache.RateLimitRule.slidingWindow(100, Duration.ofHours(1)),
            dev.fncache.RateLimitRule.fixedWindow(100, Duration.ofDays(3650)),
            dev.fncache.RateLimitRule.tokenBucket(100, 1, Duration.ofHours(1)));

    private InstanceProcess() {
    }

    /**
     * Starts a child: {@code update URL NAMESPACE THREADS TIMES}, {@code set-keys URL NAMESPACE 1 COUNT}
     * , {@code get-or-set URL NAMESPACE THREADS LOADER_MILLIS LOAD_TIMEOUT_MILLIS} or
     * {@code refresh-ahead URL NAMESPACE THREADS CYCLES} or {@code get-or-set-many URL NAMESPACE
     * THREADS FIRST} (keys customer:FIRST to FIRST+29) or {@code rate-limits URL NAMESPACE THREADS
     * CALLS} (CALLS per thread on each rule of {@link #RATE_LIMIT_RULES}); it prints {@code ready}, waits for the
     * line {@code go}, and prints {@code done} at the end ({@code refresh-ahead} adds its reads'
     * figures to that line).
     */
    public static ChildJvm start(String... arguments) {
        return ChildJvm.start(InstanceProcess.class, arguments);
    }

    /** The child's side. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String task = args[0];
        String url = args[1];
        String namespace = args[2];
        int threads = Integer.parseInt(args[3]);
        FunctionCaches.Builder builder = FunctionCaches.builder().url(url).namespace(namespace);
        if (task.equals("get-or-set")) {
            builder.loadTimeout(Duration.ofMillis(Long.parseLong(args[5])));
        }
        try (FunctionCache cache = builder.build()) {
            RefreshAheadReads refreshReads = task.equals("refresh-ahead") ? new RefreshAheadReads(cache, Integer.parseInt(args[4]))
                    : null;
            Runnable work = switch (task) {
                case "update" -> () -> {
                    for (int i = 0; i < Integer.parseInt(args[4]); i++) {
                        cache.update("counter", Long.class, 600, current -> current == null ? 1 : current + 1);
                    }
                };
                case "set-keys" -> () -> {
                    for (int i = 0; i < Integer.parseInt(args[4]); i++) {
                        cache.set(String.format("race:%05d", i), i, 600);
                    }
                };
                case "get-or-set" -> () -> out.println("got " + cache.getOrSet("customer", String.class, 60, () -> {
                    out.println("loading");
                    cache.increment("loads", 1, 600);
                    sleepQuietly(Long.parseLong(args[4]));
                    return "loaded by " + ProcessHandle.current().pid();
                }));
                case "refresh-ahead" -> refreshReads::run;
                case "rate-limits" -> () -> {
                    for (dev.fncache.RateLimitRule rule : RATE_LIMIT_RULES) {
                        int allowed = 0;
                        for (int i = 0; i < Integer.parseInt(args[4]); i++) {
                            allowed += cache.rateLimit("limit:" + rule.algorithm(), rule).allowed() ? 1 : 0;
                        }
                        out.println("allowed " + rule.algorithm() + " " + allowed);
                    }
                };
                case "get-or-set-many" -> () -> {
                    List<String> keys = new ArrayList<>();
                    for (int i = Integer.parseInt(args[4]); i < Integer.parseInt(args[4]) + 30; i++) {
                        keys.add(String.format("customer:%03d", i));
                    }
                    java.util.Map<String, String> got = cache.getOrSetMany(keys, String.class,
                            dev.fncache.LoadPolicy.ttl(Duration.ofSeconds(60)), missing -> {
                                java.util.Map<String, String> values = new java.util.HashMap<>();
                                for (String key : missing) {
                                    cache.increment("loads:" + key, 1, 600);
                                    values.put(key, "loaded " + key);
                                }
                                sleepQuietly(300);
                                return values;
                            });
                    out.println("got " + got.size());
                };
                default -> throw new IllegalArgumentException("unknown task " + task);
            };
            out.println("ready");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            List<Thread> running = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread thread = new Thread(work);
                thread.start();
                running.add(thread);
            }
            for (Thread thread : running) {
                thread.join();
            }
            out.println("done" + (refreshReads == null ? "" : " " + refreshReads.figures()));
        }
    }

    /**
     * Reads of one hot key under {@code LoadPolicy.ttl(2 s).refreshAhead(0.8)} for CYCLES TTLs,
     * one every millisecond per thread, after a warm-up (a load and a refresh ahead of another
     * key), so a cold JVM's first reload does not stand for the steady state. The loader notes whether a background refresh ran it
     * (key {@code refreshes}) or a reader waited for it ({@code misses}), and when
     * ({@code load-at:NANOS} keys).
     */
    static final class RefreshAheadReads {
        static final Duration TTL = Duration.ofSeconds(2);
        private final FunctionCache cache;
        private final java.util.concurrent.atomic.LongAdder reads = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder slowReads = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder nulls = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAccumulator maxMicros =
                new java.util.concurrent.atomic.LongAccumulator(Math::max, 0);
        private final int cycles;

        RefreshAheadReads(FunctionCache cache, int cycles) {
            this.cache = cache;
            this.cycles = cycles;
            dev.fncache.LoadPolicy warmUp = dev.fncache.LoadPolicy.ttl(Duration.ofSeconds(1)).refreshAhead(0.01);
            String warmUpKey = "warm-up:" + ProcessHandle.current().pid();
            cache.getOrSet(warmUpKey, String.class, warmUp, () -> "first");
            sleepQuietly(20);
            cache.getOrSet(warmUpKey, String.class, warmUp, () -> "refreshed");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (!"refreshed".equals(cache.get(warmUpKey, String.class)) && System.nanoTime() < deadline) {
                sleepQuietly(10);
            }
        }

        void run() {
            dev.fncache.LoadPolicy policy = dev.fncache.LoadPolicy.ttl(TTL).refreshAhead(0.8);
            long until = System.nanoTime() + TTL.toNanos() * cycles;
            java.util.function.Supplier<String> loader = () -> {
                boolean background = Thread.currentThread().getName().startsWith("fncache-load-");
                cache.increment(background ? "refreshes" : "misses", 1, 600);
                cache.set("load-at:" + System.currentTimeMillis() + ":" + ProcessHandle.current().pid(), 1, 600);
                return "loaded at " + System.nanoTime();
            };
            while (System.nanoTime() < until) {
                long started = System.nanoTime();
                String value = cache.getOrSet("config", String.class, policy, loader);
                long micros = (System.nanoTime() - started) / 1_000;
                reads.increment();
                maxMicros.accumulate(micros);
                if (micros > 5_000) {
                    slowReads.increment();
                }
                if (value == null) {
                    nulls.increment();
                }
                sleepQuietly(1);
            }
        }

        String figures() {
            return "reads=" + reads.sum() + " slowReads=" + slowReads.sum() + " nulls=" + nulls.sum() + " maxMicros="
                    + maxMicros.get();
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
