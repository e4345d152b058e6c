package dev.fncache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The terminal sessions a page shows ({@code text} blocks whose lines start with {@code $ }),
 * replayed in one {@code bash}: each command is sent as written, and what it printed is compared
 * with the lines the page shows under it. Only what the page says will differ may differ: clock
 * times ({@code 17:30:01.412}) and instants, request ids in log lines, the seconds
 * {@code fncache ttl} answers (5 less to 2 more than shown), {@code elapsedMillis}, {@code Retry-After} seconds, and the ports
 * 8080 and 8081, which become free ports in commands and answers alike. Lines that commands run
 * side by side ({@code xargs -P}) print may come in any order.
 *
 * <p>An answer without a final newline ends its line where the next prompt begins, as in a
 * terminal. The shell waits as a user at the prompt does: after each command, for the lines the page
 * shows (a server started with {@code &} prints its start line a moment later), and after a
 * {@code kill}, for the job to end ({@code wait}).
 */
final class ShellTranscript implements AutoCloseable {
    private static final Pattern TEXT_BLOCK = Pattern.compile("```text\\n(.*?)```", Pattern.DOTALL);
    private static final String PROMPT = "@@prompt@@";
    private static final long WAIT_FOR_OUTPUT_MILLIS = 60_000;

    /** One command of a page and the lines the page shows it printing. */
    record Step(String command, List<String> shown) {
    }

    private final Process bash;
    private final Writer input;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private final Map<String, String> ports;

    private ShellTranscript(Process bash, Map<String, String> ports) {
        this.bash = bash;
        this.ports = ports;
        this.input = bash.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("(the shell's output failed: " + e + ")");
            }
        }, "shell-transcript-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * A {@code bash} (expanding aliases, as an interactive one does) in {@code directory} on the Java that runs the tests, without the
     * {@code FNCACHE_URL} and {@code FUNCTION_NAME} of the environment, with {@code PORT} set to
     * the port that stands for 8080; {@code ports} maps the page's ports to free ones.
     */
    static ShellTranscript start(Path directory, Map<String, String> ports) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "--norc", "--noprofile", "-O", "expand_aliases").directory(directory.toFile())
                .redirectErrorStream(true);
        builder.environment().remove("FNCACHE_URL");
        builder.environment().remove("FUNCTION_NAME");
        builder.environment().put("PORT", ports.get("8080"));
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator
                + builder.environment().get("PATH"));
        return new ShellTranscript(builder.start(), ports);
    }

    /** Every {@code $ } step of the page's {@code text} blocks, in order. */
    static List<Step> steps(String page) {
        List<Step> steps = new ArrayList<>();
        Matcher block = TEXT_BLOCK.matcher(page);
        while (block.find()) {
            for (String line : block.group(1).split("\n")) {
                if (line.startsWith("$ ")) {
                    steps.add(new Step(line.substring(2), new ArrayList<>()));
                } else if (!steps.isEmpty() && !line.isBlank()) {
                    steps.get(steps.size() - 1).shown().add(line);
                }
            }
        }
        return steps;
    }

    /** Runs {@code step} as the page writes it and asserts it printed what the page shows. */
    void run(Step step) throws IOException, InterruptedException {
        String command = withPorts(step.command());
        List<String> printed = send(command + (command.startsWith("kill ") ? "\nwait" : ""), step.shown().size());
        List<String> expected = step.shown().stream().map(this::withPorts).toList();
        assertThat(printed).as("what '%s' printed", command).hasSameSizeAs(expected);
        if (command.contains("xargs -P")) {
            List<String> unmatched = new ArrayList<>(printed);
            for (String shown : expected) {
                Pattern pattern = variable(shown);
                int match = 0;
                while (match < unmatched.size() && !pattern.matcher(unmatched.get(match)).matches()) {
                    match++;
                }
                assertThat(match).as("'%s' printed a line like '%s' (printed %s)", command, shown, printed)
                        .isLessThan(unmatched.size());
                unmatched.remove(match);
            }
        } else if (command.matches("fncache ttl \\S+") && expected.size() == 1 && expected.get(0).matches("\\d+")) {
            long shown = Long.parseLong(expected.get(0));
            assertThat(printed.get(0)).as("what '%s' printed", command).matches("\\d+");
            assertThat(Long.parseLong(printed.get(0))).as("seconds left, a few less than shown as time passes")
                    .isBetween(shown - 5, shown + 2);
        } else {
            for (int i = 0; i < expected.size(); i++) {
                assertThat(printed.get(i)).as("line %d of what '%s' printed (all: %s)", i + 1, command, printed)
                        .matches(variable(expected.get(i)));
            }
        }
    }

    /** Runs a command of the test's own (not a page's), returning what it printed. */
    List<String> runQuietly(String command) throws IOException, InterruptedException {
        return send(command, 0);
    }

    private List<String> send(String command, int expectedLines) throws IOException, InterruptedException {
        input.write(command + "\necho " + PROMPT + "\n");
        input.flush();
        List<String> printed = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_FOR_OUTPUT_MILLIS);
        boolean prompted = false;
        while (!prompted || printed.size() < expectedLines) {
            String line = output.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            if (line.endsWith(PROMPT)) {
                prompted = true;
                line = line.substring(0, line.length() - PROMPT.length());
                if (line.isEmpty()) {
                    continue;
                }
            }
            printed.add(line.stripTrailing());
        }
        assertThat(prompted).as("'%s' finished within %d s (printed %s)", command, WAIT_FOR_OUTPUT_MILLIS / 1000, printed).isTrue();
        return printed;
    }

    private String withPorts(String text) {
        String replaced = text;
        for (Map.Entry<String, String> port : ports.entrySet()) {
            replaced = replaced.replaceAll("\\b" + port.getKey() + "\\b", port.getValue());
        }
        return replaced;
    }

    /** The pattern a shown line stands for: itself, but for what the page says will differ. */
    private static Pattern variable(String shown) {
        String quoted = Pattern.quote(shown);
        quoted = quoted.replaceAll("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z",
                "\\\\E\\\\d{4}-\\\\d{2}-\\\\d{2}T\\\\d{2}:\\\\d{2}:\\\\d{2}(\\\\.\\\\d+)?Z\\\\Q");
        quoted = quoted.replaceAll("\\d{2}:\\d{2}:\\d{2}\\.\\d{3}", "\\\\E\\\\d{2}:\\\\d{2}:\\\\d{2}\\\\.\\\\d{3}\\\\Q");
        quoted = quoted.replaceAll("\\[[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\]",
                "[\\\\E[0-9a-f-]{36}\\\\Q]");
        quoted = quoted.replaceAll("\"elapsedMillis\":\\d+", "\"elapsedMillis\":\\\\E\\\\d+\\\\Q");
        quoted = quoted.replaceAll("Retry-After: \\d+", "Retry-After: \\\\E\\\\d+\\\\Q");
        return Pattern.compile(quoted);
    }

    /** Ends every job the session started, then the shell. */
    @Override
    public void close() {
        try {
            runQuietly("kill $(jobs -p) 2>/dev/null; wait");
            input.write("exit\n");
            input.flush();
            if (!bash.waitFor(30, TimeUnit.SECONDS)) {
                bash.destroyForcibly();
            }
        } catch (IOException | AssertionError e) {
            bash.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bash.destroyForcibly();
        }
    }

    static String read(Path page) {
        try {
            return java.nio.file.Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
