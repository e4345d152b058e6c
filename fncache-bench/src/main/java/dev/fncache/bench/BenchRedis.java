package dev.fncache.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The redis-server a comparison run starts on a free loopback port, and how benchmarks find it. */
final class BenchRedis implements AutoCloseable {
    static final String URL_PROPERTY = "fncache.bench.redisUrl";

    private final Process process;
    private final int port;

    private BenchRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The server the running benchmark should use, passed down by {@link Compare}. */
    static String url() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            throw new IllegalStateException("no Redis for this benchmark: run it through dev.fncache.bench.Compare, "
                    + "or pass -D" + URL_PROPERTY + "=redis://HOST:PORT");
        }
        return url;
    }

    /** Starts redis-server without persistence, or returns null when it is not installed. */
    static BenchRedis startIfInstalled(Path directory) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            port = socket.getLocalPort();
        }
        Files.createDirectories(directory);
        Process process;
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", directory.toAbsolutePath().toString(),
                    "--logfile", directory.resolve("redis.log").toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("stdout.log").toFile()).start();
        } catch (IOException notInstalled) {
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new BenchRedis(process, port);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    String serverUrl() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
