package dev.fncache.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Three real {@code redis-server}s with {@code cluster-enabled yes}, joined by {@code redis-cli --cluster create}. */
public final class RedisClusterProcess implements AutoCloseable {
    private final List<RedisServerProcess> masters;

    private RedisClusterProcess(List<RedisServerProcess> masters) {
        this.masters = masters;
    }

    public static RedisClusterProcess start() {
        RedisServerProcess.requireRedisServer();
        List<RedisServerProcess> masters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            masters.add(RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "5000"));
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        masters.forEach(master -> create.add("127.0.0.1:" + master.port()));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        RedisServerProcess.run(create);
        RedisClusterProcess cluster = new RedisClusterProcess(masters);
        cluster.awaitHealthy();
        return cluster;
    }

    /** {@code redis-cluster://} with every master as a seed node. */
    public String url() {
        return "redis-cluster://" + masters.stream().map(m -> "127.0.0.1:" + m.port()).collect(Collectors.joining(","));
    }

    public List<RedisServerProcess> masters() {
        return masters;
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean ok = masters.stream().allMatch(m -> m.cli("cluster", "info").contains("cluster_state:ok"));
            if (ok) {
                return;
            }
            RedisServerProcess.sleep(100);
        }
        throw new IllegalStateException("the cluster did not reach cluster_state:ok");
    }

    @Override
    public void close() {
        for (RedisServerProcess master : masters) {
            master.close();
        }
    }
}
