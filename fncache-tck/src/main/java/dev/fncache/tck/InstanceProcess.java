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

    private InstanceProcess() {
    }

    /**
     * Starts a child: {@code update URL NAMESPACE THREADS TIMES}, {@code set-keys URL NAMESPACE 1 COUNT}
     * or {@code get-or-set URL NAMESPACE THREADS LOADER_MILLIS LOAD_TIMEOUT_MILLIS}; it prints
     * {@code ready}, waits for the line {@code go}, and prints {@code done} at the end.
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
            out.println("done");
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
