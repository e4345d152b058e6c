package dev.fncache.tck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM on the test's class path running a class's {@code main}: a real second process,
 * for tests of what holds across processes. It talks in lines: the test reads what the child
 * prints and may send it lines on its standard input; its standard error goes to the test's.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;

    private ChildJvm(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code main} with {@code arguments} in a new JVM of this one's Java and class path. */
    public static ChildJvm start(Class<?> main, String... arguments) {
        return start(List.of(), main, arguments);
    }

    /**
     * Starts {@code main} as {@link #start(Class, String...)} does, with {@code firstOnClassPath}
     * ahead of this JVM's class path (an application's own resources, such as a logback.xml).
     */
    public static ChildJvm start(List<Path> firstOnClassPath, Class<?> main, String... arguments) {
        List<String> classPath = new ArrayList<>();
        firstOnClassPath.forEach(entry -> classPath.add(entry.toString()));
        classPath.add(System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(java.io.File.pathSeparator, classPath), main.getName()));
        command.addAll(List.of(arguments));
        try {
            return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line the child printed, or null at its end. */
    public String readLine() {
        try {
            return output.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the child's first line equal to {@code expected}; fails if it ends first. */
    public void awaitLine(String expected) {
        awaitLineStartingWith(expected, true);
    }

    /** Waits for the child's first line starting with {@code prefix} and returns it; fails if it ends first. */
    public String awaitLineStartingWith(String prefix) {
        return awaitLineStartingWith(prefix, false);
    }

    private String awaitLineStartingWith(String text, boolean whole) {
        String line;
        while ((line = readLine()) != null) {
            if (whole ? line.equals(text) : line.startsWith(text)) {
                return line;
            }
        }
        throw new AssertionError("the child process ended before printing a line " + (whole ? "'" : "starting with '")
                + text + "'");
    }

    /** Sends the child one line on its standard input. */
    public void send(String line) {
        try {
            OutputStream input = process.getOutputStream();
            input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the child to end and returns its exit status; kills it and fails after {@code seconds}. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.toHandle().destroyForcibly();
            throw new AssertionError("the child process did not finish within " + seconds + " s");
        }
        return process.exitValue();
    }

    /**
     * SIGKILL: no shutdown hook, no finally block, no flush runs in the child. Sent through the
     * process handle, which unlike {@link Process#destroyForcibly()} leaves our end of the child's
     * output open, so lines it printed before dying can still be read.
     */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
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
}
