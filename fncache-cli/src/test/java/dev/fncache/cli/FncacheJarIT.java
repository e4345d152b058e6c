package dev.fncache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.redis.RedisServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real {@code fncache.jar}, run as a process against a SQLite file and a Redis server. */
class FncacheJarIT {
    private static final Path JAR = Path.of(System.getProperty("fncache.cliJar", "target/fncache.jar"));
    private static RedisServerProcess redis;

    @TempDir
    static Path directory;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(JAR).as("the runnable jar, built by package before this test").isRegularFile();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    private static synchronized String url(String backend) {
        if (backend.equals("sqlite")) {
            return "sqlite:" + directory.resolve("cli.db");
        }
        if (redis == null) {
            redis = RedisServerProcess.start();
        }
        return redis.url();
    }

    /** Runs the jar with {@code FNCACHE_URL} and {@code FUNCTION_NAME} from {@code environment}. */
    private static Run run(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        return runWithInput(Path.of("/dev/null"), environment, arguments);
    }

    /** {@link #run} with standard input read from {@code input}. */
    private static Run runWithInput(Path input, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("FNCACHE_URL");
        builder.environment().remove("FUNCTION_NAME");
        builder.environment().putAll(environment);
        Path out = Files.createTempFile(directory, "out", ".txt");
        Path err = Files.createTempFile(directory, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(input.toFile())).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("fncache %s finished", List.of(arguments)).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Map<String, String> env(String url, String namespace) {
        Map<String, String> environment = new HashMap<>();
        environment.put("FNCACHE_URL", url);
        environment.put("FUNCTION_NAME", namespace);
        return environment;
    }

    private static long secondsSince(long startedNanos) {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "redis"})
    void everyCommandWithItsExitCodes(String backend) throws Exception {
        Map<String, String> env = env(url(backend), "cli-" + backend);

        long setAt = System.nanoTime();
        Run set = run(env, "set", "session:CA1", "{\"caller\":\"+46701234567\"}", "--ttl", "600");
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(run(env, "set", "counter", "7").exitCode()).isZero();
        assertThat(run(env, "set", "session:CA2", "\"text\"").exitCode()).isZero();

        Run keys = run(env, "keys");
        assertThat(keys.exitCode()).isZero();
        assertThat(keys.out().lines()).containsExactly("counter", "session:CA1", "session:CA2");
        assertThat(run(env, "keys", "session:*").out().lines()).containsExactly("session:CA1", "session:CA2");
        assertThat(run(env, "keys", "--limit", "1").out().lines()).containsExactly("counter");

        Run get = run(env, "get", "session:CA1");
        assertThat(get.exitCode()).isZero();
        assertThat(get.out()).isEqualTo("{\"caller\":\"+46701234567\"}\n");
        assertThat(run(env, "get", "session:CA1", "--pretty").out()).contains("\n  \"caller\" : \"+46701234567\"\n");
        Run absent = run(env, "get", "nope");
        assertThat(absent.exitCode()).isEqualTo(1);
        assertThat(absent.out()).isEmpty();
        assertThat(absent.err()).isEqualTo("fncache: no key nope in namespace cli-" + backend + "\n");

        Run ttl = run(env, "ttl", "session:CA1");
        assertThat(ttl.exitCode()).isZero();
        // each run is a JVM start, seconds on a loaded machine: the TTL has run down by the time since the set
        assertThat(Long.parseLong(ttl.out().strip())).isBetween(600L - secondsSince(setAt) - 1, 600L);
        assertThat(run(env, "ttl", "nope").exitCode()).isEqualTo(1);
        assertThat(run(env, "extend", "session:CA1", "1000").exitCode()).isZero();
        assertThat(Long.parseLong(run(env, "ttl", "session:CA1").out().strip()))
                .isBetween(1600L - secondsSince(setAt) - 1, 1600L);
        assertThat(run(env, "extend", "nope", "10").exitCode()).isEqualTo(1);

        Run stats = run(env, "stats");
        assertThat(stats.exitCode()).isZero();
        assertThat(stats.out()).contains("entries: 3");

        Run del = run(env, "del", "counter", "nope");
        assertThat(del.exitCode()).isZero();
        assertThat(del.out()).isEqualTo("1\n");

        Run unconfirmed = run(env, "purge", "session:*");
        assertThat(unconfirmed.exitCode()).isEqualTo(2);
        assertThat(unconfirmed.err()).contains("not a terminal").contains("--yes");
        assertThat(run(env, "keys").out().lines()).hasSize(2);
        Run purge = run(env, "purge", "session:*", "--yes");
        assertThat(purge.exitCode()).isZero();
        assertThat(purge.out()).isEqualTo("2\n");
        assertThat(run(env, "keys").out()).isEmpty();
    }

    @Test
    void doctorPrintsACheckALineAndExits0WhenNoneFailsAnd1WhenOneDoes() throws Exception {
        Run sqlite = run(env("sqlite:" + directory.resolve("doctor.db"), "doctor"), "set", "k", "1");
        assertThat(sqlite.exitCode()).as(sqlite.err()).isZero();
        Run good = run(env("sqlite:" + directory.resolve("doctor.db"), "doctor"), "doctor");
        assertThat(good.exitCode()).as(good.out() + good.err()).isZero();
        assertThat(good.out().lines()).allMatch(line -> line.startsWith("PASS ") || line.startsWith("SKIP "))
                .anyMatch(line -> line.startsWith("PASS  journal mode: wal"))
                .anyMatch(line -> line.startsWith("PASS  write, read, delete"));

        Run openServer = run(env(url("redis"), "doctor"), "doctor");
        assertThat(openServer.exitCode()).as("the test server's default user may do anything").isEqualTo(1);
        assertThat(openServer.out()).contains("FAIL  confined to its namespace", "FAIL  EVAL refused");

        Run missing = run(env("sqlite:" + directory.resolve("no-such.db"), "doctor"), "doctor");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).startsWith("FAIL  opens: no cache file at ");
        assertThat(Files.exists(directory.resolve("no-such.db"))).as("doctor creates no file").isFalse();
    }

    @Test
    void badUsageIsExitStatus2WithOneLineAndNoStackTrace() throws Exception {
        Map<String, String> env = env(url("sqlite"), "cli-usage");
        for (Run bad : List.of(run(env, "frobnicate"), run(env, "get"), run(env, "set", "k", "{not json"),
                run(env, "set", "k", "1", "--ttl", "0"), run(env, "keys", "--limit", "0"), run(env, "keys", "a["),
                run(Map.of(), "keys"), run(Map.of("FNCACHE_URL", "memory:"), "keys"))) {
            assertThat(bad.exitCode()).as(bad.err()).isEqualTo(2);
            assertThat(bad.err()).startsWith("fncache: ").doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(bad.out()).isEmpty();
        }
        assertThat(run(env, "set", "k", "1", "--ttl", "0").err())
                .isEqualTo("fncache: ttlSeconds must be between 1 and 315360000 (10 years), but was 0\n");
        assertThat(run(Map.of(), "keys").err()).contains("no cache URL: give --url or set FNCACHE_URL");
        Run verbose = run(env, "--verbose", "set", "k", "1", "--ttl", "0");
        assertThat(verbose.exitCode()).isEqualTo(2);
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void aBadUrlIsExitStatus2NamingTheScheme() throws Exception {
        Run bad = run(Map.of(), "--url", "postgres://db/cache", "--namespace", "x", "keys");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("fncache: url scheme 'postgres' is unknown");
        Run unreachable = run(Map.of(), "--url", "redis://127.0.0.1:1?timeout=500ms", "--namespace", "x", "keys");
        assertThat(unreachable.exitCode()).isEqualTo(2);
        assertThat(unreachable.err()).startsWith("fncache: ").contains("cannot connect");
    }

    @Test
    void aWrongPasswordIsExitStatus2AndNeverPrinted() throws Exception {
        try (RedisServerProcess secured = RedisServerProcess.start("--requirepass", "right-password-1")) {
            String wrong = "redis://default:wrong-password-2@127.0.0.1:" + secured.port();
            Run denied = run(env(wrong, "cli-auth"), "keys");
            assertThat(denied.exitCode()).isEqualTo(2);
            assertThat(denied.err()).startsWith("fncache: ").doesNotContain("wrong-password-2")
                    .doesNotContain("right-password-1").doesNotContain("\tat ");
            assertThat(denied.err()).as("regression: it read 'cannot connect (Unable to connect to ...)'")
                    .contains("authentication failed: the server answered 'WRONGPASS").doesNotContain("Unable to connect");
            Run verbose = run(env(wrong, "cli-auth"), "--verbose", "keys");
            assertThat(verbose.err()).doesNotContain("wrong-password-2");
            String right = "redis://default:right-password-1@127.0.0.1:" + secured.port();
            assertThat(run(env(right, "cli-auth"), "set", "k", "1").exitCode()).isZero();
            Run stats = run(env(right, "cli-auth"), "stats");
            assertThat(stats.out()).contains("entries: 1").doesNotContain("right-password-1");
        }
    }

    /** Regression: fncache --url sqlite:./typo.db keys created an empty database and exited 0. */
    @Test
    void commandsOtherThanSetNeverCreateAMissingSqliteFile() throws Exception {
        Path missing = directory.resolve("no-such-dir").resolve("typo.db");
        Map<String, String> env = env("sqlite:" + missing, "cli-missing");
        for (String[] command : List.of(new String[] {"keys"}, new String[] {"get", "k"}, new String[] {"ttl", "k"},
                new String[] {"stats"}, new String[] {"extend", "k", "10"}, new String[] {"del", "k"},
                new String[] {"purge", "*", "--yes"})) {
            Run refused = run(env, command);
            assertThat(refused.exitCode()).as(List.of(command).toString()).isEqualTo(2);
            assertThat(refused.err()).isEqualTo("fncache: no cache file at " + missing + " (only fncache set creates one)\n");
        }
        assertThat(missing.getParent()).doesNotExist();
        assertThat(run(env, "set", "k", "1").exitCode()).isZero();
        assertThat(run(env, "get", "k").out()).isEqualTo("1\n");
    }

    /** Regression: every error recommended 'fncache COMMAND --help', which failed for every command. */
    @Test
    void everyCommandHasItsOwnHelpAndErrorsPointToIt() throws Exception {
        for (String command : List.of("keys", "get", "ttl", "set", "extend", "del", "purge", "stats")) {
            Run help = run(Map.of(), command, "--help");
            assertThat(help.exitCode()).as(command + " --help: " + help.err()).isZero();
            assertThat(help.out()).startsWith("Usage: fncache " + command);
        }
        Run missingKey = run(env(url("sqlite"), "cli-help"), "get");
        assertThat(missingKey.err()).endsWith("Try 'fncache get --help'.\n");
    }

    /** Regression: set took its value only from argv, so values over about 128 KiB could not be set. */
    @Test
    void setReadsTheValueFromStandardInputOrAFileUpToOneMebibyte() throws Exception {
        Map<String, String> env = env(url("sqlite"), "cli-stdin");
        String big = "\"" + "x".repeat(400 * 1024) + "\"";
        Path file = Files.writeString(directory.resolve("value.json"), big);
        Run fromInput = runWithInput(file, env, "set", "from-stdin", "-");
        assertThat(fromInput.exitCode()).as(fromInput.err()).isZero();
        assertThat(run(env, "set", "from-file", "@" + file).exitCode()).isZero();
        assertThat(run(env, "get", "from-stdin").out()).isEqualTo(big + "\n");
        assertThat(run(env, "get", "from-file").out()).isEqualTo(big + "\n");

        Path tooBig = Files.writeString(directory.resolve("too-big.json"), "\"" + "x".repeat(1 << 20) + "\"");
        Run refused = runWithInput(tooBig, env, "set", "too-big", "-");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).isEqualTo("fncache: the value must be at most 1048576 bytes of JSON, but standard input "
                + "held more; nothing was stored\n");
        assertThat(run(env, "set", "k", "@" + directory.resolve("absent.json")).err())
                .contains("JSON @FILE must name a readable file");
        assertThat(run(env, "get", "too-big").exitCode()).isEqualTo(1);
    }

    @Test
    void aMisspelledUrlOptionIsRefusedOnEveryBackend() throws Exception {
        Run redis = run(Map.of(), "--url", "redis://127.0.0.1:1?bogusOption=1", "--namespace", "x", "keys");
        assertThat(redis.exitCode()).isEqualTo(2);
        assertThat(redis.err()).startsWith("fncache: url option 'bogusOption' is unknown; the options of redis:// are");
        Run sqlite = run(Map.of(), "--url", "sqlite:" + directory.resolve("cli.db") + "?synchronus=normal", "--namespace", "x",
                "set", "k", "1");
        assertThat(sqlite.exitCode()).isEqualTo(2);
        assertThat(sqlite.err()).contains("option 'synchronus' is unknown");
    }
}
