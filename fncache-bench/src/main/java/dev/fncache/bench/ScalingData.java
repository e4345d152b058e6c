package dev.fncache.bench;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The stores the scaling benchmarks read, built once per comparison run (every JMH fork is a
 * new JVM, so a store that already holds its data is reused): a "small" namespace of 1,000
 * {@code session:*} and 1,000 {@code other:*} keys, and a "big" namespace of {@code n} keys.
 */
final class ScalingData {
    static final String SMALL = "small";
    static final String BIG = "big";
    static final int SMALL_MATCHING = 1_000;

    private ScalingData() {
    }

    /**
     * Opens {@code namespace} in a store where the small namespace exists and the big one holds
     * {@code bigKeys} keys. Each distinct {@code bigKeys} is its own store.
     */
    static FunctionCache open(String backend, int bigKeys, String namespace) throws Exception {
        String url = switch (backend) {
            case "memory" -> "memory:scaling-" + UUID.randomUUID();
            case "sqlite" -> "sqlite:" + dataDirectory().resolve("scaling-" + bigKeys + ".db") + "?synchronous=normal";
            case "redis" -> BenchRedis.url() + "/" + (bigKeys == 0 ? 1 : bigKeys <= 10_000 ? 2 : 3);
            default -> throw new IllegalArgumentException("backend must be memory, sqlite or redis, but was " + backend);
        };
        try (FunctionCache small = FunctionCaches.open(url, SMALL); FunctionCache big = FunctionCaches.open(url, BIG)) {
            if (!small.has("populated")) {
                fill(url, backend, small, big, bigKeys);
            }
        }
        settleHeap();
        return FunctionCaches.open(url, namespace);
    }

    /**
     * A million entries made in setup are still being copied between young regions when the
     * measurement starts; G1 pauses of 100 ms and more then halve the first iterations. Collect
     * now, so every iteration measures the steady state a long-running function is in.
     */
    static void settleHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }

    static String bigKey(int i) {
        return "k:" + i;
    }

    private static void fill(String url, String backend, FunctionCache small, FunctionCache big, int bigKeys)
            throws Exception {
        for (int i = 0; i < SMALL_MATCHING; i++) {
            small.set("session:" + i, CallSession.SAMPLE, 36_000);
            small.set("other:" + i, CallSession.SAMPLE, 36_000);
        }
        if (backend.equals("sqlite")) {
            fillSqliteInOneTransaction(url, bigKeys);
        } else {
            fillInParallel(big, bigKeys);
        }
        small.set("populated", true, 36_000);
    }

    private static void fillInParallel(FunctionCache big, int bigKeys) throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < bigKeys; i += threads) {
                        big.set(bigKey(i), CallSession.SAMPLE, 36_000);
                    }
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A million single-row transactions would take minutes; one raw transaction on the same schema takes seconds. */
    private static void fillSqliteInOneTransaction(String url, int bigKeys) throws Exception {
        String file = url.substring("sqlite:".length(), url.indexOf('?'));
        byte[] value = CallSession.encode(CallSession.SAMPLE);
        long expiresAt = System.currentTimeMillis() + 36_000_000L;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 10000");
            statement.execute("BEGIN IMMEDIATE");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT OR REPLACE INTO fncache_entries (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < bigKeys; i++) {
                    insert.setString(1, BIG);
                    insert.setBytes(2, bigKey(i).getBytes(StandardCharsets.UTF_8));
                    insert.setBytes(3, value);
                    insert.setLong(4, expiresAt);
                    insert.addBatch();
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            statement.execute("COMMIT");
        }
    }

    static Path dataDirectory() throws java.io.IOException {
        return Files.createDirectories(Path.of(System.getProperty("fncache.bench.data", "target/bench-data")));
    }
}
