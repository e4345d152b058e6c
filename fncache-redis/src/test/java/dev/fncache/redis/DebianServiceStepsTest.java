package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.tck.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/redis/README.md's "As Debian's service" steps, which need root and systemd, checked
 * against the unit Debian's redis-server package installs: the files go where the unit and
 * redis.conf read them, and the unit's own command line starts a server from the recipe's files
 * that answers the operator. Paths under / are moved into a temporary directory only by
 * command-line overrides, so redis.conf itself is loaded as shipped.
 */
@Tag("real-process")
class DebianServiceStepsTest {
    private static final Path UNIT = Path.of("/lib/systemd/system/redis-server.service");
    private static final Pattern ROOT_BLOCK = Pattern.compile("```sh as-root\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern INSTALL = Pattern.compile("^install -o (\\S+) -g \\S+ -m \\d+ (\\S+) (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path root;

    @Test
    void theStepsPutTheFilesWhereDebiansUnitReadsThemAndItsCommandLineStartsAServerTheOperatorReaches()
            throws Exception {
        RedisServerProcess.requireRedisServer();
        RequiredTool.require(Files.exists(UNIT), "Debian's redis-server.service", "apt-get install redis-server",
                RedisServerProcess.REQUIRED_VARIABLE);
        String unit = Files.readString(UNIT);
        Matcher block = ROOT_BLOCK.matcher(Files.readString(DeployRecipe.DIRECTORY.resolve("README.md")));
        assertThat(block.find()).as("deploy/redis/README.md has the as-root block").isTrue();
        String steps = block.group(1);
        Map<String, String> installed = new HashMap<>();
        Matcher install = INSTALL.matcher(steps);
        while (install.find()) {
            assertThat(install.group(1)).as("files are owned by the unit's user").isEqualTo(value(unit, "User"));
            installed.put(install.group(3), install.group(2));
        }
        assertThat(steps).contains("systemctl restart redis-server");

        List<String> execStart = List.of(value(unit, "ExecStart").split(" "));
        String conf = execStart.get(1);
        assertThat(installed).as("the unit's configuration is the recipe's redis.conf")
                .containsEntry(conf, "deploy/redis/redis.conf");
        String shipped = Files.readString(DeployRecipe.redisConf());
        String aclFile = directive(shipped, "aclfile");
        String dir = directive(shipped, "dir");
        assertThat(installed).as("redis.conf's aclfile is where the steps put the ACL file")
                .containsEntry(aclFile, "fncache-redis/users.acl");
        assertThat(unit).as("the unit may write redis.conf's dir").contains("ReadWritePaths=-" + dir + "\n");

        Path etc = Files.createDirectories(root.resolve(conf.substring(1)).getParent());
        Files.copy(DeployRecipe.redisConf(), root.resolve(conf.substring(1)));
        Files.copy(DeployRecipe.aclFile(root, "voice-ivr"), root.resolve(aclFile.substring(1)));
        Path data = Files.createDirectories(root.resolve(dir.substring(1)));
        int port = RedisServerProcess.freePortPair();
        List<String> command = new ArrayList<>(execStart);
        command.set(1, root.resolve(conf.substring(1)).toString());
        command.addAll(List.of("--aclfile", root.resolve(aclFile.substring(1)).toString(), "--dir", data.toString(),
                "--port", Integer.toString(port), "--logfile", etc.resolve("redis.log").toString()));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(root.resolve("stdout.log").toFile()).start();
        try {
            String pong = "";
            for (int attempt = 0; attempt < 100 && !pong.contains("PONG"); attempt++) {
                RedisServerProcess.sleep(50);
                pong = RedisServerProcess.run(List.of("redis-cli", "-p", Integer.toString(port), "--user", "ops", "--pass",
                        DeployRecipe.OPERATOR_PASSWORD, "--no-auth-warning", "PING"));
            }
            assertThat(pong).as("the operator reaches the server the unit's command line started").contains("PONG");
            assertThat(RedisServerProcess.run(List.of("redis-cli", "-p", Integer.toString(port), "PING")))
                    .as("the default user is off").doesNotContain("PONG");
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String value(String unit, String key) {
        Matcher line = Pattern.compile("^" + key + "=(.*)$", Pattern.MULTILINE).matcher(unit);
        assertThat(line.find()).as(UNIT + " has " + key).isTrue();
        return line.group(1).strip();
    }

    private static String directive(String conf, String name) {
        Matcher line = Pattern.compile("^" + name + " (\\S+)$", Pattern.MULTILINE).matcher(conf);
        assertThat(line.find()).as("redis.conf has " + name).isTrue();
        return line.group(1);
    }
}
