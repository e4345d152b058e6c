package dev.fncache.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Real {@code redis-server}s with {@code cluster-enabled yes}, joined by
 * {@code redis-cli --cluster create}: three masters, each with {@code replicasPerMaster} replicas.
 */
public final class RedisClusterProcess implements AutoCloseable {
    private final List<RedisServerProcess> masters;
    private final List<RedisServerProcess> nodes;

    private RedisClusterProcess(List<RedisServerProcess> masters, List<RedisServerProcess> nodes) {
        this.masters = masters;
        this.nodes = nodes;
    }

    /** Three masters, no replicas, node timeout 5 s. */
    public static RedisClusterProcess start() {
        return start(0, 5_000);
    }

    /** Three masters with {@code replicasPerMaster} replicas each; {@code nodeTimeoutMillis} decides failover's pace. */
    public static RedisClusterProcess start(int replicasPerMaster, int nodeTimeoutMillis) {
        RedisServerProcess.requireRedisServer();
        List<RedisServerProcess> nodes = new ArrayList<>();
        for (int i = 0; i < 3 * (1 + replicasPerMaster); i++) {
            nodes.add(RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", Integer.toString(nodeTimeoutMillis)));
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
        create.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        RedisServerProcess.run(create);
        RedisClusterProcess cluster = new RedisClusterProcess(List.copyOf(nodes.subList(0, 3)), nodes);
        cluster.awaitHealthy();
        return cluster;
    }

    /** The node that serves {@code key}'s slot now (a master, or a replica promoted since). */
    public RedisServerProcess masterOf(String key) {
        RedisServerProcess any = nodes.stream().filter(RedisServerProcess::isRunning).findFirst().orElseThrow();
        int slot = Integer.parseInt(any.cli("cluster", "keyslot", key).strip());
        for (String line : any.cli("cluster", "nodes").lines().toList()) {
            String[] fields = line.split(" ");
            if (!fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                    return nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** The running nodes that replicate {@code master} now. */
    public List<RedisServerProcess> replicasOf(RedisServerProcess master) {
        return nodes.stream().filter(node -> node != master && node.isRunning())
                .filter(node -> node.cli("info", "replication").contains("master_port:" + master.port()))
                .toList();
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
            boolean ok = nodes.stream().allMatch(m -> m.cli("cluster", "info").contains("cluster_state:ok"))
                    && nodes.stream().map(node -> node.cli("info", "replication"))
                            .allMatch(info -> info.contains("role:master") || info.contains("master_link_status:up"));
            if (ok) {
                return;
            }
            RedisServerProcess.sleep(100);
        }
        throw new IllegalStateException("the cluster did not reach cluster_state:ok with every replica in sync");
    }

    @Override
    public void close() {
        for (RedisServerProcess node : nodes) {
            node.close();
        }
    }
}
