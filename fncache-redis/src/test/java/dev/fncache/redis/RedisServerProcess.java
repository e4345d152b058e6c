package dev.fncache.redis;

import dev.fncache.tck.RequiredTool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} that a test starts on a free loopback port in its own directory,
 * and stops by its own pid. Without {@code redis-server} on the PATH, tests skip with a loud
 * message, unless {@code FNCACHE_REQUIRE_REDIS=true} (CI) makes that a failure.
 */
public final class RedisServerProcess implements AutoCloseable {
    public static final String REQUIRED_VARIABLE = "FNCACHE_REQUIRE_REDIS";

    private final int port;
    private final Path directory;
    private final List<String> arguments;
    private final boolean tls;
    private Process process;

    private RedisServerProcess(int port, Path directory, List<String> arguments, boolean tls) {
        this.port = port;
        this.directory = directory;
        this.arguments = arguments;
        this.tls = tls;
    }

    /** Skips the calling test when redis-server is missing, or fails it in CI. */
    public static void requireRedisServer() {
        RequiredTool.require(onPath("redis-server") && onPath("redis-cli"), "redis-server or redis-cli",
                "apt-get install redis-server redis-tools", REQUIRED_VARIABLE);
    }

    /** Starts a server with these extra {@code --name value} arguments; a config file may come first. */
    public static RedisServerProcess start(String... extraArguments) {
        requireRedisServer();
        Path directory = newDirectory();
        int port = freePortPair();
        List<String> arguments = new ArrayList<>(List.of(extraArguments));
        RedisServerProcess server = new RedisServerProcess(port, directory, arguments, false);
        server.launch();
        return server;
    }

    /**
     * Starts a server that speaks only TLS on its port, with a certificate for 127.0.0.1 signed by
     * a throwaway CA made with openssl ({@link #caCertificate()}).
     */
    public static RedisServerProcess startTls() {
        requireRedisServer();
        Path directory = newDirectory();
        int port = freePortPair();
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=fncache test CA",
                "-keyout", directory.resolve("ca.key").toString(), "-out", directory.resolve("ca.crt").toString()));
        run(List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", directory.resolve("server.key").toString(), "-out", directory.resolve("server.csr").toString()));
        try {
            Files.writeString(directory.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("openssl", "x509", "-req", "-days", "2", "-in", directory.resolve("server.csr").toString(),
                "-CA", directory.resolve("ca.crt").toString(), "-CAkey", directory.resolve("ca.key").toString(),
                "-CAcreateserial", "-extfile", directory.resolve("san.ext").toString(),
                "-out", directory.resolve("server.crt").toString()));
        List<String> arguments = new ArrayList<>(List.of("--port", "0", "--tls-port", Integer.toString(port),
                "--tls-cert-file", directory.resolve("server.crt").toString(),
                "--tls-key-file", directory.resolve("server.key").toString(),
                "--tls-ca-cert-file", directory.resolve("ca.crt").toString(),
                "--tls-auth-clients", "no"));
        RedisServerProcess server = new RedisServerProcess(port, directory, arguments, true);
        server.launch();
        return server;
    }

    /** The CA that signed a TLS server's certificate. */
    public Path caCertificate() {
        return directory.resolve("ca.crt");
    }

    public int port() {
        return port;
    }

    /** Whether the server process is alive (not killed or stopped). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public Path directory() {
        return directory;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server again, on the same port and directory, after {@link #kill()} or {@link #stop()}. */
    public void restart() {
        launch();
    }

    /**
     * Waits (up to 10 s) until every replica of this master has acknowledged everything the
     * master had written when called: its {@code slaveN:...offset=} at least the master's
     * {@code master_repl_offset}.
     */
    public void awaitReplicasCaughtUp() {
        long target = replicationField(cli("info", "replication"), "master_repl_offset");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<String> replicas = cli("info", "replication").lines().filter(line -> line.matches("slave\\d+:.*")).toList();
            if (!replicas.isEmpty() && replicas.stream().allMatch(line -> line.contains("state=online")
                    && Long.parseLong(line.replaceAll(".*offset=(\\d+).*", "$1")) >= target)) {
                return;
            }
            sleep(5);
        }
        throw new IllegalStateException("the replicas of port " + port + " did not reach offset " + target + " within 10 s: "
                + cli("info", "replication"));
    }

    private static long replicationField(String info, String field) {
        return info.lines().filter(line -> line.startsWith(field + ":")).mapToLong(line -> Long.parseLong(line.substring(field.length() + 1).strip()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + field + " in " + info));
    }

    /** SIGKILL: no shutdown save, no final fsync. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the server's own orderly shutdown. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** Runs redis-cli against this server and returns what it printed. */
    public String cli(String... command) {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        if (tls) {
            line.addAll(List.of("--tls", "--cacert", caCertificate().toString()));
        }
        line.addAll(List.of(command));
        return run(line);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>();
        command.add("redis-server");
        boolean configFileFirst = !arguments.isEmpty() && !arguments.get(0).startsWith("--");
        if (configFileFirst) {
            command.add(arguments.get(0));
        }
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", directory.toString(),
                "--daemonize", "no", "--logfile", directory.resolve("redis.log").toString()));
        if (!configFileFirst) {
            command.addAll(List.of("--save", "", "--appendonly", "no"));
        }
        command.addAll(configFileFirst ? arguments.subList(1, arguments.size()) : arguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitListening();
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + directory);
            }
            if (tls) {
                try {
                    if (cli("ping").contains("PONG")) {
                        return;
                    }
                } catch (IllegalStateException notYet) {
                    // still starting
                }
                sleep(50);
                continue;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                if (answer != null && (answer.startsWith("+PONG") || answer.startsWith("-NOAUTH"))) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            sleep(50);
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port + "; see " + directory);
    }

    static String run(List<String> command) {
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port that is free, and whose cluster bus port (port + 10000) is free too. */
    static int freePortPair() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (isFree(port) && isFree(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port pair found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static Path newDirectory() {
        try {
            Path target = Path.of("target", "redis-servers");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, "redis-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
