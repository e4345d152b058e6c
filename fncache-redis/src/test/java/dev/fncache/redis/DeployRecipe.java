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

    static final String OPERATOR_PASSWORD = "ops-pw";

    /** The {@code user default ...} line of deploy/redis/users.acl. */
    static String defaultUserLine() {
        return usersAclLine("default");
    }

    /** Runs deploy/redis/fncache-load-library against a server, as the operator; returns what it printed. */
    static String loadLibrary(RedisServerProcess server) {
        return RedisServerProcess.run(List.of(DIRECTORY.resolve("fncache-load-library").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "--user", "ops", "--pass", OPERATOR_PASSWORD));
    }

    private static String usersAclLine(String user) {
        try {
            return Files.readAllLines(DIRECTORY.resolve("users.acl")).stream()
                    .filter(line -> line.startsWith("user " + user + " ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("users.acl has no 'user " + user + "' line"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The recipe's ACL file as shipped, then its scripts' lines: the operator (password
     * {@link #OPERATOR_PASSWORD}) and one user per namespace (password = namespace + "-pw").
     */
    static Path aclFile(Path directory, String... namespaces) {
        Path file = directory.resolve("users.acl");
        try {
            Files.copy(DIRECTORY.resolve("users.acl"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisServerProcess.run(List.of(DIRECTORY.resolve("fncache-acl-operator").toString(), file.toString(),
                OPERATOR_PASSWORD));
        for (String namespace : namespaces) {
            RedisServerProcess.run(List.of(DIRECTORY.resolve("fncache-acl-user").toString(), "--acl-file", file.toString(),
                    namespace, namespace + "-pw"));
        }
        return file;
    }
}
