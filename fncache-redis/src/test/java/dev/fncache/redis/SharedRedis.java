package dev.fncache.redis;

/**
 * One standalone server and one cluster per test JVM, started on first use and killed when
 * the JVM exits, for the suites that need no server of their own.
 */
final class SharedRedis {
    private static RedisServerProcess server;
    private static RedisClusterProcess cluster;

    private SharedRedis() {
    }

    static synchronized RedisServerProcess server() {
        if (server == null) {
            server = RedisServerProcess.start();
            RedisServerProcess started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(started)));
        }
        return server;
    }

    static synchronized RedisClusterProcess cluster() {
        if (cluster == null) {
            cluster = RedisClusterProcess.start();
            RedisClusterProcess started = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(started)));
        }
        return cluster;
    }

    private static void closeQuietly(AutoCloseable process) {
        try {
            process.close();
        } catch (Exception e) {
            System.err.println("could not stop a test Redis: " + e);
        }
    }
}
