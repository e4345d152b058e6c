package dev.fncache.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /** The recipe's operator line, with the hash of {@link #OPERATOR_PASSWORD} in place of its placeholder. */
    static String operatorLine() {
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(OPERATOR_PASSWORD.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return usersAclLine("ops").replaceFirst("#0{64}", "#" + hash);
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
     * An ACL file with the recipe's default-user and operator lines (password {@link #OPERATOR_PASSWORD})
     * and one user per namespace (password = namespace + "-pw").
     */
    static Path aclFile(Path directory, String... namespaces) {
        StringBuilder file = new StringBuilder(defaultUserLine()).append('\n').append(operatorLine()).append('\n');
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
