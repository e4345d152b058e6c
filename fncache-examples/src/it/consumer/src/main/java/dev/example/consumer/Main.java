package dev.example.consumer;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.example.consumer.values.CallSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens memory:, sqlite: and redis:// from the module path and round-trips a record through
 * each; exits non-zero on any failure. Starts its own redis-server on a free loopback port.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        System.out.println("on the module path: " + Main.class.getModule() + ", " + FunctionCache.class.getModule());
        checkModuleNames(Path.of(args[1]), args[2]);
        roundTrip("memory:");
        roundTrip("sqlite:" + target.resolve("consumer.db"));
        Process redis = startRedis(target);
        if (redis == null) {
            return;
        }
        try {
            roundTrip("redis://127.0.0.1:" + port);
        } finally {
            redis.destroy();
        }
    }

    private static int port;

    /** Every published jar has a stable module name: a descriptor, or an Automatic-Module-Name. */
    private static void checkModuleNames(Path repository, String version) {
        for (String artifact : new String[] {"core", "sqlite", "redis", "micrometer", "runtime", "cli", "tck"}) {
            Path jar = repository.resolve("dev/fncache/fncache-" + artifact + "/" + version + "/fncache-" + artifact + "-"
                    + version + ".jar");
            String name = java.lang.module.ModuleFinder.of(jar).findAll().iterator().next().descriptor().name();
            if (!name.equals("dev.fncache." + artifact)) {
                throw new IllegalStateException(jar + " is the module " + name + ", not dev.fncache." + artifact);
            }
            System.out.println(jar.getFileName() + ": module " + name);
        }
    }

    private static void roundTrip(String url) {
        try (FunctionCache cache = FunctionCaches.open(url, "consumer")) {
            cache.set("call:CA1", new CallSession("CA1", 2), Duration.ofMinutes(5));
            CallSession back = cache.get("call:CA1", CallSession.class);
            if (!new CallSession("CA1", 2).equals(back)) {
                throw new IllegalStateException(url + " returned " + back);
            }
            System.out.println(url + ": stored and read back " + back);
        }
    }

    private static Process startRedis(Path target) throws IOException, InterruptedException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path directory = Files.createDirectories(target.resolve("redis"));
        Process process;
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", directory.toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("redis.log").toFile()).start();
        } catch (IOException notInstalled) {
            if ("true".equals(System.getenv("FNCACHE_REQUIRE_REDIS"))) {
                throw new IllegalStateException("redis-server is required (FNCACHE_REQUIRE_REDIS=true)", notInstalled);
            }
            System.out.println("REDIS NOT TESTED: redis-server is not installed (apt-get install redis-server)");
            return null;
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return process;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port);
    }
}
