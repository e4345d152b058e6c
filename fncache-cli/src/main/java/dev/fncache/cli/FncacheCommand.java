package dev.fncache.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fncache.CacheCheck;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.KeyPage;
import dev.fncache.spi.CacheUrl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fncache}: a function's cache from the shell, on any backend, by URL. Exit status 0 on
 * success, 1 when the key is absent ({@code get}, {@code ttl}, {@code extend}), 2 on bad usage,
 * a refused argument or a store that cannot be reached, with one line on standard error.
 */
@Command(name = "fncache", mixinStandardHelpOptions = true, version = "fncache 0.1.0",
        description = "Lists, reads, writes and deletes the keys of a function's cache.",
        subcommandsRepeatable = false, sortOptions = false, usageHelpAutoWidth = true)
public final class FncacheCommand {
    static final int ABSENT = 1;
    static final int FAILED = 2;
    private static final int PAGE = 1_000;
    private static final int MAX_VALUE_BYTES = FunctionCaches.DEFAULT_MAX_VALUE_BYTES;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "${env:FNCACHE_URL}", paramLabel = "URL",
            description = "The cache URL (memory:, sqlite:PATH, redis://..., redis-cluster://...); default $FNCACHE_URL.")
    String url;

    @Option(names = "--namespace", defaultValue = "${env:FUNCTION_NAME}", paramLabel = "NS",
            description = "The function's namespace; default $FUNCTION_NAME.")
    String namespace;

    @Option(names = "--verbose", description = "On failure, print the stack trace too.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with fncache's exit codes and one-line errors. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new FncacheCommand());
        commandLine.setExpandAtFiles(false);
        commandLine.setAllowSubcommandsAsOptionParameters(true); // a namespace may be called "get" or "doctor"
        commandLine.setExitCodeExceptionMapper(failure -> FAILED);
        commandLine.setParameterExceptionHandler((failure, args) -> {
            PrintWriter err = failure.getCommandLine().getErr();
            err.println("fncache: " + failure.getMessage());
            CommandLine failed = failure.getCommandLine();
            err.println(failed == failed.getCommandSpec().root().commandLine()
                    ? "Try 'fncache --help' or 'fncache COMMAND --help'."
                    : "Try 'fncache " + failed.getCommandName() + " --help'.");
            return FAILED;
        });
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            FncacheCommand top = line.getCommandSpec().root().commandLine().getCommand();
            PrintWriter err = line.getErr();
            err.println("fncache: " + oneLine(failure));
            if (top.verbose) {
                failure.printStackTrace(err);
            }
            return FAILED;
        });
        return commandLine;
    }

    private static String oneLine(Exception failure) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        return message.replace('\n', ' ');
    }

    /** Opens the cache for a command that may create it: only {@code set} stores anything. */
    private FunctionCache openOrCreate() {
        return open(true);
    }

    /** Opens the cache for a command that reads or changes what is there: a missing SQLite file is an error. */
    private FunctionCache open() {
        return open(false);
    }

    private FunctionCache open(boolean mayCreate) {
        requireUrlAndNamespace();
        Path file = sqliteFile();
        if (!mayCreate && file != null && !Files.exists(file)) {
            throw new IllegalArgumentException("no cache file at " + file + " (only fncache set creates one)");
        }
        return FunctionCaches.builder().url(url).namespace(namespace).build();
    }

    private void requireUrlAndNamespace() {
        if (url == null || url.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no cache URL: give --url or set FNCACHE_URL");
        }
        if (namespace == null || namespace.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no namespace: give --namespace or set FUNCTION_NAME");
        }
    }

    /** The file of a {@code sqlite:} URL, absolute; null for other schemes. */
    private Path sqliteFile() {
        CacheUrl parsed = CacheUrl.parse(url);
        if (!parsed.scheme().equals("sqlite")) {
            return null;
        }
        String path = parsed.rest().split("\\?", 2)[0];
        return path.isBlank() ? null : Path.of(path).toAbsolutePath().normalize();
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Prints the live keys matching PATTERN (default *), one per line, in code point order.")
    int keys(@Parameters(arity = "0..1", defaultValue = "*", paramLabel = "PATTERN",
                    description = "A Redis-style glob: * ? [abc] [^a] [a-z] \\") String pattern,
            @Option(names = "--limit", paramLabel = "N", description = "Print at most N keys.") Integer limit) {
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, but was " + limit);
        }
        try (FunctionCache cache = open()) {
            long left = limit == null ? Long.MAX_VALUE : limit;
            String cursor = null;
            do {
                KeyPage page = cache.keys(pattern, (int) Math.min(PAGE, left), cursor);
                page.keys().forEach(out()::println);
                left -= page.keys().size();
                cursor = page.nextCursor();
            } while (cursor != null && left > 0);
            out().flush();
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Prints the value of KEY as JSON; exit status 1 when absent.")
    int get(@Parameters(paramLabel = "KEY") String key,
            @Option(names = "--pretty", description = "Indent the JSON.") boolean pretty) throws JsonProcessingException {
        try (FunctionCache cache = open()) {
            JsonNode value = cache.get(key, JsonNode.class);
            if (value == null) {
                return absent(key);
            }
            out().println(pretty ? JSON.writeValueAsString(value) : value.toString());
            out().flush();
            return 0;
        }
    }

    @Command(name = "ttl", mixinStandardHelpOptions = true, description = "Prints the seconds KEY has left (rounded up); exit status 1 when absent.")
    int ttl(@Parameters(paramLabel = "KEY") String key) {
        try (FunctionCache cache = open()) {
            Duration left = cache.ttl(key);
            if (left == null) {
                return absent(key);
            }
            out().println((left.toMillis() + 999) / 1000);
            out().flush();
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Stores JSON under KEY.")
    int set(@Parameters(index = "0", paramLabel = "KEY") String key,
            @Parameters(index = "1", paramLabel = "JSON", description = "The value, as JSON: '{\"a\":1}', '42', "
                    + "'\"text\"'; - reads it from standard input, @FILE from a file (at most 1 MiB either way).")
                    String argument,
            @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "3600",
                    description = "Seconds to keep it, 1 to 315360000; default 3600.") long ttlSeconds) throws IOException {
        String json = valueText(argument);
        JsonNode value;
        try {
            value = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JSON must be one JSON value, but was not: "
                    + e.getOriginalMessage().replace('\n', ' '));
        }
        if (value == null || value.isMissingNode()) {
            throw new IllegalArgumentException("JSON must be one JSON value, but was empty");
        }
        try (FunctionCache cache = openOrCreate()) {
            cache.set(key, value, ttlSeconds);
            return 0;
        }
    }

    /** The JSON text an argument of {@code set} stands for: itself, standard input ({@code -}) or a file ({@code @FILE}). */
    private String valueText(String argument) throws IOException {
        if (!argument.equals("-") && !argument.startsWith("@")) {
            return argument;
        }
        String source = argument.equals("-") ? "standard input" : "file " + argument.substring(1);
        byte[] bytes;
        if (argument.equals("-")) {
            bytes = System.in.readNBytes(MAX_VALUE_BYTES + 1);
        } else {
            Path file = Path.of(argument.substring(1));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("JSON @FILE must name a readable file, but there is no file " + file);
            }
            try (var in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_VALUE_BYTES + 1);
            }
        }
        if (bytes.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("the value must be at most " + MAX_VALUE_BYTES + " bytes of JSON, but "
                    + source + " held more; nothing was stored");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Command(name = "extend", mixinStandardHelpOptions = true, description = "Adds SECONDS to the lifetime KEY has left; exit status 1 when absent.")
    int extend(@Parameters(index = "0", paramLabel = "KEY") String key,
            @Parameters(index = "1", paramLabel = "SECONDS") long seconds) {
        try (FunctionCache cache = open()) {
            if (!cache.extend(key, seconds)) {
                return absent(key);
            }
            return 0;
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Deletes the keys; prints how many were live.")
    int del(@Parameters(arity = "1..*", paramLabel = "KEY") List<String> keys) {
        try (FunctionCache cache = open()) {
            out().println(cache.deleteMany(keys));
            out().flush();
            return 0;
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Deletes every key matching PATTERN after confirmation; prints how many.")
    int purge(@Parameters(paramLabel = "PATTERN") String pattern,
            @Option(names = "--yes", description = "Do not ask; required when not on a terminal.") boolean yes)
            throws IOException {
        try (FunctionCache cache = open()) {
            if (!yes) {
                if (System.console() == null) {
                    throw new IllegalArgumentException("purge asks before it deletes, and this is not a terminal: "
                            + "add --yes to delete every key matching " + pattern);
                }
                long matching = count(cache, pattern);
                System.console().printf("Delete %d keys matching %s from namespace %s? [y/N] ", matching, pattern, namespace);
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                    spec.commandLine().getErr().println("fncache: nothing deleted");
                    return FAILED;
                }
            }
            out().println(cache.deleteAll(pattern));
            out().flush();
            return 0;
        }
    }

    @Command(name = "doctor", mixinStandardHelpOptions = true, description = "Checks the deployment for the namespace: "
            + "reachable and authenticated, a write, read and delete, and the backend's set-up (Redis: the function library, "
            + "the user's confinement to its namespace, eviction and persistence; SQLite: journal mode, free disk). "
            + "One line a check; exit status 0 when none fails, 1 when one does.")
    int doctor() {
        requireUrlAndNamespace();
        Path file = sqliteFile();
        if (file != null && !Files.exists(file)) {
            out().println(CacheCheck.fail("opens", "no cache file at " + file + " (a function creates it when it first opens it)"));
            out().flush();
            return 1;
        }
        boolean failed = false;
        for (CacheCheck check : FunctionCaches.doctor(url, namespace)) {
            out().println(check);
            failed |= check.status() == CacheCheck.Status.FAIL;
        }
        out().flush();
        return failed ? 1 : 0;
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Prints the namespace's entry count and, for SQLite, the file's size.")
    int stats() throws IOException {
        try (FunctionCache cache = open()) {
            out().println("namespace: " + namespace);
            out().println("cache: " + cache);
            out().println("entries: " + count(cache, "*"));
            Path file = sqliteFile();
            if (file != null) {
                Path log = file.resolveSibling(file.getFileName() + "-wal");
                long bytes = Files.size(file) + (Files.exists(log) ? Files.size(log) : 0);
                out().println("file bytes: " + bytes + " (" + file + " and its write-ahead log, every namespace)");
            }
            out().flush();
            return 0;
        }
    }

    private static long count(FunctionCache cache, String pattern) {
        long count = 0;
        String cursor = null;
        do {
            KeyPage page = cache.keys(pattern, PAGE * 10, cursor);
            count += page.keys().size();
            cursor = page.nextCursor();
        } while (cursor != null);
        return count;
    }

    private int absent(String key) {
        spec.commandLine().getErr().println("fncache: no key " + key + " in namespace " + namespace);
        return ABSENT;
    }
}
