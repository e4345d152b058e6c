package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Redis backend's invariant, checked after every conformance test: every live value of a
 * namespace has its member in the namespace's index, so {@code keys()} lists it. Reads the
 * server directly, with a raw connection per URL kept for the test JVM.
 */
final class RedisIndexCheck {
    private static final Map<String, RedisClusterCommands<String, String>> CONNECTIONS = new ConcurrentHashMap<>();

    private RedisIndexCheck() {
    }

    static void assertEveryLiveValueIsIndexed(String url, String namespace) {
        RedisClusterCommands<String, String> redis = CONNECTIONS.computeIfAbsent(url, RedisIndexCheck::connect);
        String valuePrefix = "fncache:{" + namespace + "}:v:";
        String index = "fncache:{" + namespace + "}:index";
        List<String> unindexed = new ArrayList<>();
        ScanArgs matching = ScanArgs.Builder.matches(valuePrefix + "*").limit(1_000);
        KeyScanCursor<String> cursor = redis.scan(ScanCursor.INITIAL, matching);
        while (true) {
            for (String valueKey : cursor.getKeys()) {
                String member = valueKey.substring(valuePrefix.length());
                if (redis.zscore(index, member) == null && redis.exists(valueKey) == 1) {
                    unindexed.add(member);
                }
            }
            if (cursor.isFinished()) {
                break;
            }
            cursor = redis.scan(cursor, matching);
        }
        assertThat(unindexed).as("live keys of %s missing from its index", namespace).isEmpty();
    }

    private static RedisClusterCommands<String, String> connect(String url) {
        if (url.startsWith("redis-cluster://")) {
            String seeds = url.substring("redis-cluster://".length());
            List<io.lettuce.core.RedisURI> nodes = new ArrayList<>();
            for (String node : seeds.split(",")) {
                nodes.add(io.lettuce.core.RedisURI.create("redis://" + node));
            }
            return RedisClusterClient.create(nodes).connect().sync();
        }
        return RedisClient.create(url).connect().sync();
    }
}
