package dev.fncache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.tck.RequiredTool;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, the stale answers of docs/api.md, the two-instance session of
 * docs/many-instances.md and the command-line run of docs/operations.md, typed as the
 * pages write them into a shell in an empty directory that holds only the built
 * {@code fncache-examples/target/voice-demo.jar}, with real curl against the real server (see
 * {@link ShellTranscript} for what may differ). An integration test, because it needs the jar
 * that {@code package} builds.
 */
@Tag("real-process")
class QuickStartTranscriptIT {
    private static final Path ROOT = Path.of(System.getProperty("fncache.root", "..")).toAbsolutePath().normalize();
    private static final Path DEMO_JAR = Path.of(System.getProperty("fncache.demoJar", "target/voice-demo.jar")).toAbsolutePath();
    private static final Path CLI_JAR = Path.of(System.getProperty("fncache.cliJar", "../fncache-cli/target/fncache.jar"))
            .toAbsolutePath();
    private static final Pattern FIRST_SHELL_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path directory;

    @BeforeEach
    void placeTheJarAsTheFirstCommandLeavesIt() throws IOException {
        RequiredTool.require(onPath("curl"), "curl", "apt-get install curl", "FNCACHE_REQUIRE_CURL");
        Path jar = directory.resolve("fncache-examples/target/voice-demo.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(DEMO_JAR, jar);
    }

    @Test
    void theReadmesQuickStartRunsAsWritten() throws Exception {
        String readme = ShellTranscript.read(ROOT.resolve("README.md"));
        Matcher quickStart = FIRST_SHELL_BLOCK.matcher(readme);
        assertThat(quickStart.find()).as("the README's quick start commands").isTrue();
        String firstCommand = quickStart.group(1).lines().findFirst().orElseThrow();
        String mainJob = firstCommand.substring(firstCommand.indexOf("&& ") + 3, firstCommand.indexOf('#')).strip();
        assertThat(mainJob).as("the quick start's main job, after its build").isEqualTo("java -jar fncache-examples/target/voice-demo.jar");
        Map<String, String> ports = Map.of("8080", freePort());
        try (ShellTranscript shell = ShellTranscript.start(directory, ports)) {
            shell.runQuietly(mainJob + " > main-job.log 2>&1 &");
            awaitListening(ports.get("8080"));
            boolean mainJobStopped = false;
            for (ShellTranscript.Step step : ShellTranscript.steps(readme)) {
                if (step.command().contains("java -jar") && !mainJobStopped) {
                    shell.runQuietly("kill %1; wait");
                    mainJobStopped = true;
                }
                shell.run(step);
            }
            assertThat(mainJobStopped).as("the README goes on to the persistent server").isTrue();
        }
    }

    @Test
    void twoServersOnOneSqliteFileAnswerAsTheManyInstancesPageShows() throws Exception {
        String page = ShellTranscript.read(ROOT.resolve("docs/many-instances.md"));
        try (ShellTranscript shell = ShellTranscript.start(directory, Map.of("8080", freePort(), "8081", freePort()))) {
            for (ShellTranscript.Step step : ShellTranscript.steps(page)) {
                shell.run(step);
            }
        }
    }

    @Test
    void aStaleAnswerComesWhileTheDirectoryIsDownAsTheApiPageShows() throws Exception {
        String page = ShellTranscript.read(ROOT.resolve("docs/api.md"));
        try (ShellTranscript shell = ShellTranscript.start(directory, Map.of("8080", freePort()))) {
            assertThat(ShellTranscript.steps(page)).as("the page's run").isNotEmpty();
            for (ShellTranscript.Step step : ShellTranscript.steps(page)) {
                shell.run(step);
            }
        }
    }

    @Test
    void theCommandLineRunOfTheOperationsPageRunsAsWritten() throws Exception {
        Path cli = directory.resolve("fncache-cli/target/fncache.jar");
        Files.createDirectories(cli.getParent());
        Files.copy(CLI_JAR, cli);
        String page = ShellTranscript.read(ROOT.resolve("docs/operations.md"));
        try (ShellTranscript shell = ShellTranscript.start(directory, Map.of("8080", freePort()))) {
            assertThat(ShellTranscript.steps(page)).as("the page's run").anyMatch(step -> step.command().startsWith("fncache "));
            for (ShellTranscript.Step step : ShellTranscript.steps(page)) {
                shell.run(step);
            }
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(entry -> Files.isExecutable(Path.of(entry, program)));
    }

    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return Integer.toString(socket.getLocalPort());
        }
    }

    private static void awaitListening(String port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the quick start's main job did not listen on port " + port + " within 60 s");
    }
}
