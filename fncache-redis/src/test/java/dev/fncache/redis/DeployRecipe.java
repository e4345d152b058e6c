package dev.fncache.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The files of deploy/redis, as the tests use them: the recipe is what is tested. */
final class DeployRecipe {
    static final Path DIRECTORY = Path.of(System.getProperty("fncache.deployDirectory", "../deploy/redis"))
            .toAbsolutePath().normalize();

    private DeployRecipe() {
    }

    static Path redisConf() {
        return DIRECTORY.resolve("redis.conf");
    }

    /** The ACL line deploy/redis/fncache-acl-user prints for one function. */
    static String aclUser(String namespace, String password) {
        return RedisServerProcess.run(List.of(DIRECTORY.resolve("fncache-acl-user").toString(), namespace, password)).strip();
    }

    /** The {@code user default ...} line of deploy/redis/users.acl. */
    static String defaultUserLine() {
        try {
            return Files.readAllLines(DIRECTORY.resolve("users.acl")).stream()
                    .filter(line -> line.startsWith("user default ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("users.acl has no 'user default' line"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An ACL file with the recipe's default-user line and one user per namespace (password = namespace + "-pw"). */
    static Path aclFile(Path directory, String... namespaces) {
        StringBuilder file = new StringBuilder(defaultUserLine()).append('\n');
        for (String namespace : namespaces) {
            file.append(aclUser(namespace, namespace + "-pw")).append('\n');
        }
        try {
            return Files.writeString(directory.resolve("users.acl"), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
