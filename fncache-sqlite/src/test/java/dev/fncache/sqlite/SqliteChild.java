package dev.fncache.sqlite;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** The child process's side of the cross-process tests. */
public final class SqliteChild {
    private SqliteChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "increment" -> increment(args[1], Integer.parseInt(args[2]));
            case "write-forever" -> writeForever(args[1]);
            case "write-forever-threads" -> writeForeverOnThreads(args[1], Integer.parseInt(args[2]));
            case "hold-write-lock" -> holdWriteLock(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static void increment(String url, int times) {
        try (FunctionCache cache = FunctionCaches.open(url, "fn")) {
            System.out.println("ready");
            for (int i = 0; i < times; i++) {
                cache.increment("counter", 1, 3600);
            }
            System.out.println("done");
        }
    }

    private static void writeForever(String url) {
        FunctionCache cache = FunctionCaches.open(url, "fn");
        for (long i = 0; ; i++) {
            cache.set("key:" + i, i, 3600);
            System.out.println("written key:" + i);
            System.out.flush();
        }
    }

    /** Like write-forever with many threads at once, so their writes are committed in batches. */
    private static void writeForeverOnThreads(String url, int threads) {
        FunctionCache cache = FunctionCaches.open(url, "fn");
        java.io.PrintStream out = new java.io.PrintStream(System.out, true, java.nio.charset.StandardCharsets.UTF_8);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            new Thread(() -> {
                for (long i = 0; ; i++) {
                    String key = "key:" + thread + ":" + i;
                    cache.set(key, i, 3600);
                    out.println("written " + key);
                }
            }).start();
        }
    }

    private static void holdWriteLock(String file, int seconds) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            statement.execute("UPDATE fncache_entries SET expires_at = expires_at WHERE 0");
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(seconds * 1000L);
            statement.execute("ROLLBACK");
        }
    }
}
