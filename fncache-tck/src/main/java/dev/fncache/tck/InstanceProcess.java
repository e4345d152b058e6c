package dev.fncache.tck;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another instance of a function as a real process: a JVM on the test's class path that opens a
 * cache on the same store and runs one task on several threads when told "go" on its standard
 * input. Its {@link #main} is the child's side; the rest is the parent's handle on it.
 */
public final class InstanceProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;

    private InstanceProcess(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts a child: {@code update URL NAMESPACE THREADS TIMES}, {@code set-keys URL NAMESPACE 1 COUNT}
     * or {@code get-or-set URL NAMESPACE THREADS LOADER_MILLIS LOAD_TIMEOUT_MILLIS}.
     */
    public static InstanceProcess start(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), InstanceProcess.class.getName()));
        command.addAll(List.of(arguments));
        try {
            return new InstanceProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the child's first line starting with {@code prefix} and returns it; fails if the child ends first. */
    public String awaitLine(String prefix) {
        try {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the child process ended before printing a line starting with '" + prefix + "'");
    }

    /** Releases the child's threads. */
    public void go() {
        try {
            OutputStream input = process.getOutputStream();
            input.write("go\n".getBytes(StandardCharsets.US_ASCII));
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no finally block runs in the child. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.toHandle().destroyForcibly();
            throw new AssertionError("the child process did not finish within " + seconds + " s");
        }
        return process.exitValue();
    }

    /** Kills the child if it still runs; an interrupt while waiting for it is kept for the caller. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
