package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.spi.CacheUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How the Redis backend uses the server: one command per operation, a namespace's keys in one
 * slot, and a key index that neither scans the server nor grows with dead keys.
 */
@Tag("real-process")
class RedisLayoutTest {
    private final RedisServerProcess server = SharedRedis.server();
    private final String namespace = "layout-" + UUID.randomUUID().toString().substring(0, 8);

    private Map<String, Long> callsDuring(Runnable work) {
        server.cli("config", "resetstat");
        work.run();
        Map<String, Long> calls = new java.util.HashMap<>();
        Matcher stat = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)").matcher(server.cli("info", "commandstats"));
        while (stat.find()) {
            calls.put(stat.group(1), Long.parseLong(stat.group(2)));
        }
        calls.remove("config|resetstat");
        calls.remove("info");
        return calls;
    }

    /**
     * The commands each operation makes the server run: one command for a read, one FCALL of the
     * library for a mutation, whose inner commands commandstats counts as well; so value and
     * index change in one atomic step.
     */
    @Test
    void eachOperationIsOneCommandOrOneAtomicFunctionCall() {
        // no near cache reads the namespace, so a write looks for the flag key (EXISTS) and announces nothing
        try (FunctionCache cache = FunctionCaches.open(server.url(), namespace)) {
            cache.set("warm-up", 1);
            cache.increment("warm-up-counter", 1, 60);
            cache.extend("warm-up", 1);
            cache.setIfAbsent("warm-up", 1, 1);
            cache.delete("warm-up");
            assertThat(callsDuring(() -> cache.set("k", "v", 60))).containsOnly(Map.entry("fcall", 1L),
                    Map.entry("zadd", 1L), Map.entry("set", 1L), Map.entry("del", 1L), Map.entry("exists", 1L));
            assertThat(callsDuring(() -> cache.get("k", String.class))).containsOnly(Map.entry("get", 1L));
            assertThat(callsDuring(() -> cache.has("k"))).containsOnly(Map.entry("exists", 1L));
            assertThat(callsDuring(() -> cache.getMany(List.of("a", "b", "k"), String.class)))
                    .containsOnly(Map.entry("mget", 1L));
            assertThat(callsDuring(() -> cache.increment("n", 1, 60))).containsOnly(Map.entry("fcall", 1L),
                    Map.entry("incrby", 1L), Map.entry("pttl", 1L), Map.entry("pexpire", 1L), Map.entry("zadd", 1L),
                    Map.entry("get", 1L), Map.entry("del", 1L), Map.entry("exists", 1L));
            assertThat(callsDuring(() -> cache.extend("k", 10)))
                    .containsOnly(Map.entry("fcall", 1L), Map.entry("pttl", 1L), Map.entry("pexpire", 2L));
            assertThat(callsDuring(() -> cache.setIfAbsent("k", "w", 10)))
                    .containsOnly(Map.entry("fcall", 1L), Map.entry("exists", 1L));
            assertThat(callsDuring(() -> cache.setIfAbsent("k2", "w", 10))).containsOnly(Map.entry("fcall", 1L),
                    Map.entry("exists", 2L), Map.entry("set", 1L), Map.entry("zadd", 1L), Map.entry("del", 1L));
            assertThat(callsDuring(() -> cache.ttl("k"))).containsOnly(Map.entry("pttl", 1L));
            assertThat(callsDuring(() -> cache.delete("k")))
                    .containsOnly(Map.entry("fcall", 1L), Map.entry("del", 2L), Map.entry("zrem", 1L), Map.entry("exists", 1L));
        }
    }

    /**
     * A near cache of the namespace keeps its flag key, and from then on every write announces
     * what it changed (one SPUBLISH inside the same function call); the flag's TTL is renewed by
     * the heartbeats, so it outlives only an idle or closed near cache, by at most a minute.
     */
    @Test
    void aWriteAnnouncesItsKeysOnlyWhileANearCacheOfTheNamespaceKeepsTheFlag() {
        String flag = "fncache:{" + namespace + "}:near";
        try (FunctionCache cache = FunctionCaches.open(server.url(), namespace)) {
            cache.set("warm-up", 1);
            assertThat(server.cli("exists", flag).trim()).isEqualTo("0");
            try (FunctionCache near = FunctionCaches.open(server.url() + "?nearCache=100", namespace)) {
                assertThat(server.cli("exists", flag).trim()).isEqualTo("1");
                long ttl = Long.parseLong(server.cli("pttl", flag).trim());
                assertThat(ttl).isBetween(50_000L, 60_000L);
                assertThat(callsDuring(() -> cache.set("k", "v", 60))).containsOnly(Map.entry("fcall", 1L),
                        Map.entry("zadd", 1L), Map.entry("set", 1L), Map.entry("del", 1L), Map.entry("exists", 1L),
                        Map.entry("spublish", 1L));
                assertThat(near.get("k", String.class)).isEqualTo("v");
            }
        }
    }

    /** CONTRACT rule 26 on Redis: a namespace's keys share one slot, so the hits of any number of keys are one MGET. */
    @Test
    void getOrSetManyReadsEveryHitWithOneMgetAndRechecksTheLeasedMissingWithOneMore() {
        try (FunctionCache cache = FunctionCaches.open(server.url(), namespace)) {
            Map<String, Integer> present = new java.util.LinkedHashMap<>();
            List<String> asked = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                asked.add("k" + i);
                if (i % 2 == 0) {
                    present.put("k" + i, i);
                }
            }
            cache.setMany(present, 60);
            dev.fncache.LoadPolicy policy = dev.fncache.LoadPolicy.ttl(Duration.ofSeconds(60));
            assertThat(callsDuring(() -> assertThat(cache.getOrSetMany(present.keySet(), Integer.class, policy,
                    missing -> Map.of())).hasSize(50))).containsOnly(Map.entry("mget", 1L));
            Map<String, Long> loading = callsDuring(() -> assertThat(cache.getOrSetMany(asked, Integer.class, policy,
                    missing -> {
                        Map<String, Integer> values = new java.util.HashMap<>();
                        missing.forEach(key -> values.put(key, Integer.parseInt(key.substring(1))));
                        return values;
                    })).hasSize(100));
            assertThat(loading).as("one read of all, one recheck of the leased keys").containsEntry("mget", 2L);
        }
    }

    @Test
    void aUserThatMayLoadFunctionsLoadsTheLibraryItselfOnFirstUse() {
        try (FunctionCache cache = FunctionCaches.open(server.url(), namespace)) {
            server.cli("function", "flush", "sync");
            assertThat(server.cli("function", "list")).doesNotContain(RedisFunction.LIBRARY);
            cache.set("k", "v");
            assertThat(server.cli("function", "list")).contains(RedisFunction.LIBRARY);
            assertThat(cache.keys()).containsExactly("k");
        }
    }

    @Test
    void theLibraryTheClientLoadsIsTheDeployRecipesFileAndNamesItsVersion() throws Exception {
        String recipe = java.nio.file.Files.readString(DeployRecipe.DIRECTORY.resolve(RedisFunction.LIBRARY_RESOURCE));
        assertThat(RedisFunction.librarySource()).isEqualTo(recipe);
        assertThat(recipe).startsWith("#!lua name=" + RedisFunction.LIBRARY + "\n");
        for (RedisFunction function : RedisFunction.values()) {
            assertThat(function.functionName).startsWith(RedisFunction.LIBRARY + "_");
            assertThat(recipe).contains("'" + function.functionName + "'");
        }
    }

    @Test
    void keysReadsOnlyTheNamespaceIndexNeverTheWholeServer() {
        try (FunctionCache cache = FunctionCaches.open(server.url(), namespace)) {
            for (int i = 0; i < 1_200; i++) {
                cache.set("session:" + i, i, 60);
            }
            Map<String, Long> calls = callsDuring(() -> assertThat(cache.keys("session:*")).hasSize(1_200));
            assertThat(calls).doesNotContainKeys("scan", "keys", "randomkey");
            assertThat(calls).containsEntry("zrangebylex", 3L);
        }
    }

    @Test
    void storedExpiryIsOneMillisecondShortSoRedisAndTheContractAgree() {
        try (FunctionCache cache = FunctionCaches.open(server.url(), namespace)) {
            cache.set("k", "v", Duration.ofSeconds(100));
            long pttl = Long.parseLong(server.cli("pttl", "fncache:{" + namespace + "}:v:k").strip());
            Duration reported = cache.ttl("k");
            assertThat(pttl).as("Redis holds one millisecond less than the TTL").isBetween(99_000L, 99_999L);
            assertThat(reported).as("and ttl() adds it back")
                    .isLessThanOrEqualTo(Duration.ofMillis(pttl + 1))
                    .isGreaterThan(Duration.ofMillis(pttl + 1 - 1_000));
        }
    }

    @Test
    void namespaceKeysShareOneHashTagSoTheyLiveInOneClusterSlot() {
        RedisKeyLayout layout = new RedisKeyLayout("voice-ivr");
        List<String> names = new ArrayList<>();
        for (String key : List.of("a", "{other}", "}{", "session:{x}")) {
            names.add(new String(layout.valueKey(key), java.nio.charset.StandardCharsets.UTF_8));
        }
        names.add(new String(layout.index(), java.nio.charset.StandardCharsets.UTF_8));
        for (String name : names) {
            assertThat(name).startsWith("fncache:{voice-ivr}:");
            assertThat(io.lettuce.core.cluster.SlotHash.getSlot(name))
                    .isEqualTo(io.lettuce.core.cluster.SlotHash.getSlot("voice-ivr"));
        }
    }

    @Test
    void expiredKeysLeaveTheIndexWhenItIsSwept() throws Exception {
        try (FunctionCache cache = FunctionCaches.open(server.url(), namespace)) {
            for (int i = 0; i < 700; i++) {
                cache.set("short:" + i, i, 1);
            }
            cache.set("long", 1, 60);
            String index = "fncache:{" + namespace + "}:index";
            assertThat(server.cli("zcard", index).strip()).isEqualTo("701");
            Thread.sleep(1_100);
            CacheUrl url = CacheUrl.parse(server.url());
            SharedRedisConnection connection = SharedRedisConnection.connect(RedisLocation.parse(url));
            try {
                RedisStore store = new RedisStore(url, connection, namespace);
                assertThat(new IndexSweeper(store).sweep()).isEqualTo(1);
                assertThat(new IndexSweeper(store).sweep()).as("the lock keeps a second sweeper out").isEqualTo(-1);
            } finally {
                connection.close();
            }
            assertThat(server.cli("zcard", index).strip()).isEqualTo("1");
            assertThat(cache.keys()).containsExactly("long");
        }
    }

    @Test
    void deleteRemovesTheKeyFromTheIndexAtOnce() {
        try (FunctionCache cache = FunctionCaches.open(server.url(), namespace)) {
            cache.set("k", 1);
            cache.delete("k");
            assertThat(server.cli("zcard", "fncache:{" + namespace + "}:index").strip()).isEqualTo("0");
        }
    }

    @Test
    void databaseNumberAndPasswordInTheUrlAreUsed() throws Exception {
        try (RedisServerProcess secured = RedisServerProcess.start("--requirepass", "s3cr3t");
                FunctionCache cache = FunctionCaches.open("redis://:s3cr3t@127.0.0.1:" + secured.port() + "/3", "fn")) {
            cache.set("k", 1);
            assertThat(secured.cli("-a", "s3cr3t", "--no-auth-warning", "-n", "3", "exists", "fncache:{fn}:v:k").strip())
                    .isEqualTo("1");
            assertThat(secured.cli("-a", "s3cr3t", "--no-auth-warning", "-n", "0", "dbsize").strip()).isEqualTo("0");
            assertThat(cache.toString()).doesNotContain("s3cr3t").contains("redis://:***@127.0.0.1");
        }
    }
}
