package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/redis/README.md's shell steps, run as written (every {@code sh} block, in order, in one
 * shell) in an empty directory holding a copy of deploy/redis and the built fncache.jar at
 * fncache-cli/target, against a real redis-server on a free port; the last step is
 * {@code fncache doctor}. Then functions run through the URLs the steps printed. An integration
 * test of fncache-cli, because the recipe ends with the command line's jar.
 */
@Tag("real-process")
class DeployRecipeIT {
    private static final Pattern SHELL_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PRINTED_URL = Pattern.compile("^(?:FNCACHE_URL=)?(redis://fn-([\\w.-]+):([0-9a-f]{48})@\\S+)$",
            Pattern.MULTILINE);
    private static final Path JAR = Path.of(System.getProperty("fncache.cliJar", "target/fncache.jar")).toAbsolutePath();
    private static final Path DEPLOY = Path.of("../deploy/redis").toAbsolutePath().normalize();

    @TempDir
    Path directory;

    @Test
    void theRecipesStepsAsWrittenStartAServerWhoseTenantUrlsWork() throws Exception {
        RedisServerProcess.requireRedisServer();
        copyDeployDirectory();
        Files.createDirectories(directory.resolve("fncache-cli/target"));
        Files.copy(JAR, directory.resolve("fncache-cli/target/fncache.jar"));
        Path script = Files.writeString(directory.resolve("recipe.sh"), "set -euo pipefail\n" + shellSteps());
        int port = RedisServerProcess.freePortPair();
        ProcessBuilder bash = new ProcessBuilder("bash", script.toString()).directory(directory.toFile())
                .redirectErrorStream(true);
        bash.environment().put("REDIS_PORT", Integer.toString(port));
        bash.environment().remove("REDISCLI_AUTH");
        try {
            Process run = bash.start();
            String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(run.exitValue()).as(output).isZero();
            assertThat(output).contains("PONG", "loaded the Redis function library fncache_v6",
                    "PASS  confined to its namespace", "PASS  function library fncache_v6").doesNotContain("FAIL ");

            Matcher printed = PRINTED_URL.matcher(output);
            List<String> urls = new ArrayList<>();
            String acl = Files.readString(directory.resolve("fncache-redis/users.acl"));
            while (printed.find()) {
                urls.add(printed.group(1));
                assertThat(printed.group(1)).endsWith("@127.0.0.1:" + port);
                assertThat(acl).as("the ACL file holds the hash, never the password").doesNotContain(printed.group(3));
            }
            assertThat(urls).hasSize(2);
            try (FunctionCache voice = FunctionCaches.open(urls.get(0), "voice-ivr");
                    FunctionCache sms = FunctionCaches.open(urls.get(1), "sms-alerts")) {
                voice.set("call:CA1", "ringing", 60);
                sms.set("alert:1", "sent", 60);
                assertThat(voice.get("call:CA1", String.class)).isEqualTo("ringing");
                assertThat(sms.get("alert:1", String.class)).isEqualTo("sent");
                assertThat(voice.keys("*")).containsExactly("call:CA1");
            }
        } finally {
            stopServer();
        }
    }

    /** Every {@code sh} block of deploy/redis/README.md, in order. */
    private static String shellSteps() throws IOException {
        Matcher block = SHELL_BLOCK.matcher(Files.readString(DEPLOY.resolve("README.md")));
        StringBuilder steps = new StringBuilder();
        while (block.find()) {
            steps.append(block.group(1));
        }
        assertThat(steps).as("deploy/redis/README.md's shell steps").isNotEmpty();
        return steps.toString();
    }

    private void copyDeployDirectory() throws IOException {
        Path target = directory.resolve("deploy/redis");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private void stopServer() throws Exception {
        Path pidFile = directory.resolve("fncache-redis/redis.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(server -> {
                server.destroyForcibly();
                server.onExit().join();
            });
        }
    }
}
