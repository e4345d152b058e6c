package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheSerializationException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.RateLimit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every function of the library bounds its work whatever a tenant sends: a tenant's own Redis
 * user (made by deploy/redis/fncache-acl-user) calls each with hostile arguments, and stores
 * hostile values with the raw writes it holds; each call is refused or answered within the
 * bound, and SLOWLOG (which records every call here) shows how long it held the event loop.
 */
@Tag("real-process")
class RedisLibraryBoundsTest {
    private static final String NS = "alpha";
    private static final String PREFIX = "fncache:{" + NS + "}:";
    private static RedisServerProcess server;
    private static RedisClient client;
    private static StatefulRedisConnection<byte[], byte[]> tenant;
    private static RedisCommands<byte[], byte[]> redis;

    @BeforeAll
    static void startServerWithATenantUser() throws Exception {
        server = RedisServerProcess.start("--aclfile",
                DeployRecipe.aclFile(Files.createTempDirectory("fncache-bounds"), NS, "beta").toString(),
                "--slowlog-log-slower-than", "0", "--slowlog-max-len", "20000");
        DeployRecipe.loadLibrary(server);
        client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withAuthentication("fn-" + NS, NS + "-pw").withTimeout(Duration.ofSeconds(30)).build());
        tenant = client.connect(ByteArrayCodec.INSTANCE);
        redis = tenant.sync();
    }

    @AfterAll
    static void stop() {
        if (tenant != null) {
            tenant.close();
            client.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void resetSlowlog() {
        operator("SLOWLOG", "RESET");
    }

    private static String url() {
        return "redis://fn-" + NS + ":" + NS + "-pw@127.0.0.1:" + server.port();
    }

    private static String operator(String... command) {
        List<String> line = new ArrayList<>(List.of("--user", "ops", "--pass", DeployRecipe.OPERATOR_PASSWORD));
        line.addAll(List.of(command));
        return server.cli(line.toArray(String[]::new));
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] keys(String... names) {
        return Arrays.stream(names).map(name -> b(PREFIX + name)).toArray(byte[][]::new);
    }

    private static void assertRefused(String function, byte[][] keys, byte[][] args, String rule) {
        assertThatThrownBy(() -> redis.fcall(function, ScriptOutputType.MULTI, keys, args))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageStartingWith("fncache: ").hasMessageContaining(rule);
    }

    /**
     * The durations in microseconds of the FCALLs the slowlog holds, sorted. Redis logs the
     * commands a function runs as well, about 20 for a hit, so read it often enough.
     */
    private static long[] fcallMicros() {
        RedisClient opsClient = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withAuthentication("ops", DeployRecipe.OPERATOR_PASSWORD).build());
        try (StatefulRedisConnection<String, String> ops = opsClient.connect()) {
            List<Long> micros = new ArrayList<>();
            for (Object entry : ops.sync().slowlogGet(20_000)) {
                List<?> fields = (List<?>) entry;
                if ("FCALL".equalsIgnoreCase(String.valueOf(((List<?>) fields.get(3)).get(0)))) {
                    micros.add((Long) fields.get(2));
                }
            }
            return micros.stream().mapToLong(Long::longValue).sorted().toArray();
        } finally {
            opsClient.shutdown();
        }
    }

    private static void assertEveryCallHeldTheLoopUnder(long micros) {
        long[] calls = fcallMicros();
        assertThat(calls).isNotEmpty();
        assertThat(calls[calls.length - 1]).as("the longest FCALL, in microseconds").isLessThan(micros);
    }

    @Test
    void setManyWithMoreThanOneChunkOfEntriesOrBytesIsRefusedWithoutStoringAny() {
        int entries = 1_001;
        byte[][] keys = new byte[1 + 2 * entries][];
        byte[][] args = new byte[1 + 2 * entries][];
        keys[0] = b(PREFIX + "index");
        args[0] = b("60000");
        for (int i = 0; i < entries; i++) {
            keys[1 + 2 * i] = b(PREFIX + "v:many" + i);
            keys[2 + 2 * i] = b(PREFIX + "version:many" + i);
            args[1 + 2 * i] = b("many" + i);
            args[2 + 2 * i] = b("1");
        }
        assertRefused("fncache_v6_set_many", keys, args, "set_many takes at most 1000 entries");
        byte[] half = new byte[600 * 1024];
        Arrays.fill(half, (byte) '1');
        assertRefused("fncache_v6_set_many", keys("index", "v:a", "version:a", "v:b", "version:b"),
                new byte[][] {b("60000"), b("a"), half, b("b"), half}, "set_many takes at most 1048576 bytes");
        assertRefused("fncache_v6_set_many", keys("index", "v:a", "version:a"), new byte[][] {b("0"), b("a"), b("1")},
                "a px of 1 to 10 years");
        assertThat(redis.exists(b(PREFIX + "v:many0"), b(PREFIX + "v:a"), b(PREFIX + "v:b"))).isZero();
        assertEveryCallHeldTheLoopUnder(20_000);
    }

    @Test
    void deleteManyAndLiveMembersRefuseMoreMembersThanTheClientEverSends() {
        byte[][] members = new byte[1_001][];
        byte[][] keys = new byte[1 + 2 * members.length][];
        keys[0] = b(PREFIX + "index");
        for (int i = 0; i < members.length; i++) {
            members[i] = b("k" + i);
            keys[1 + 2 * i] = b(PREFIX + "v:k" + i);
            keys[2 + 2 * i] = b(PREFIX + "version:k" + i);
        }
        assertRefused("fncache_v6_delete_many", keys, members, "delete_many takes at most 1000 members");
        assertRefused("fncache_v6_delete_many", keys("index", "v:a"), new byte[][] {b("a"), b("b")},
                "with a value key and a version key each");
        byte[][] pageKeys = new byte[1_002][];
        pageKeys[0] = b(PREFIX + "index");
        for (int i = 1; i < pageKeys.length; i++) {
            pageKeys[i] = b(PREFIX + "v:k" + i);
        }
        assertRefused("fncache_v6_live_members", pageKeys, Arrays.copyOf(members, 1_001),
                "live_members takes the index and at most 1000 members");
        assertEveryCallHeldTheLoopUnder(20_000);
    }

    @Test
    void singleKeyFunctionsRefuseMissingKeysAndArgumentsOutsideTheirRules() {
        byte[][] three = keys("v:k", "index", "version:k");
        assertRefused("fncache_v6_set", three, new byte[][] {b("k"), b("1"), b("-5")}, "set takes 3 keys and a px");
        assertRefused("fncache_v6_set", keys("v:k"), new byte[][] {b("k"), b("1"), b("1000")}, "set takes 3 keys");
        assertRefused("fncache_v6_replace", three, new byte[][] {b("k"), b("1"), b("1e99"), b("")}, "replace takes 3 keys");
        assertRefused("fncache_v6_increment", three, new byte[][] {b("1"), b("0.5"), b("k")}, "increment takes 3 keys");
        assertRefused("fncache_v6_extend", keys("v:k", "version:k"), new byte[][] {b("99999999999999999"), b("1")},
                "extend takes 2 keys and millis of 1 to 10 years");
        assertRefused("fncache_v6_get_entry", keys("v:k"), new byte[][] {b("v")}, "get_entry takes 2 keys");
        assertRefused("fncache_v6_delete", keys("v:k"), new byte[][] {b("k")}, "delete takes 3 keys");
        assertRefused("fncache_v6_release_lease", keys("lease:k", "lease:j"), new byte[][] {b("t")}, "release_lease takes 1 key");
        assertRefused("fncache_v6_hit", three, new byte[][] {b("k"), b("1000000000"), b("60000")}, "a limit of 1 to 10000");
        assertRefused("fncache_v6_hit", three, new byte[][] {b("k"), b("10"), b("1")}, "a window of 1 s to 10 years");
        assertRefused("fncache_v6_hit", three, new byte[][] {b("k"), b("10"), b("60000"), b("11"), b("1")},
                "a cost of 1 to the limit");
        assertRefused("fncache_v6_hit", three, new byte[][] {b("k"), b("10"), b("60000"), b("1"), b("2")}, "consume 0 or 1");
        assertRefused("fncache_v6_fixed_window", three, new byte[][] {b("k"), b("0"), b("60000"), b("1"), b("1")},
                "a limit of 1 to 1000000000");
        assertRefused("fncache_v6_fixed_window", three, new byte[][] {b("k"), b("5"), b("60000"), b("6"), b("1")},
                "a cost of 1 to the limit");
        assertRefused("fncache_v6_token_bucket", three,
                new byte[][] {b("k"), b("10"), b("1"), b("315360000000"), b("1"), b("1")}, "filling the bucket within 10 years");
        assertRefused("fncache_v6_token_bucket", three,
                new byte[][] {b("k"), b("10"), b("11"), b("1000"), b("1"), b("1")}, "refill tokens of 1 to the capacity");
        byte[] id = b("0123456789abcdef");
        byte[] flagBefore = redis.get(b(PREFIX + "near"));
        assertRefused("fncache_v6_near_heartbeat", keys("v:k"), new byte[][] {b("h"), id, b("60000")},
                "near_heartbeat takes the key fncache:{NS}:near");
        assertRefused("fncache_v6_near_heartbeat", keys("near"), new byte[][] {new byte[65], id, b("60000")},
                "a heartbeat of at most 64 bytes");
        assertRefused("fncache_v6_near_heartbeat", keys("near"), new byte[][] {b("h"), b("short"), b("60000")},
                "a 16-byte id");
        assertRefused("fncache_v6_near_heartbeat", keys("near"), new byte[][] {b("h"), id, b("60001")},
                "a px of 1 to 60000");
        assertThat(redis.exists(b(PREFIX + "v:k"))).isZero();
        assertThat(redis.get(b(PREFIX + "near"))).as("a refused heartbeat keeps no flag").isEqualTo(flagBefore);
        assertEveryCallHeldTheLoopUnder(5_000);
    }

    /** A flag the tenant stored itself (1 MiB) is replaced by a fresh id, never read whole. */
    @Test
    void aNearHeartbeatReplacesAFlagThatHoldsNoIdWithoutReadingIt() {
        redis.set(b(PREFIX + "near"), new byte[1 << 20]);
        byte[] id = b("0123456789abcdef");
        byte[] kept = redis.fcall("fncache_v6_near_heartbeat", ScriptOutputType.VALUE, keys("near"), b("h"), id, b("60000"));
        assertThat(kept).isEqualTo(id);
        assertThat(redis.get(b(PREFIX + "near"))).isEqualTo(id);
        assertThat(redis.pttl(b(PREFIX + "near"))).isBetween(1L, 60_000L);
        assertThat((byte[]) redis.fcall("fncache_v6_near_heartbeat", ScriptOutputType.VALUE, keys("near"), b("h"),
                b("fedcba9876543210"), b("60000"))).as("a live flag keeps its id").isEqualTo(id);
    }

    /** Regression: a 42 MB log stored with raw SET made one FCALL take 2.9-5.5 s and grew Redis's RSS outside maxmemory. */
    @Test
    void aFortyTwoMegabyteLogStoredWithRawSetIsRefusedWithoutBeingRead() {
        byte[] forged = new byte[42 << 20];
        Arrays.fill(forged, (byte) '1');
        forged[0] = '[';
        forged[forged.length - 1] = ']';
        redis.set(b(PREFIX + "v:sms"), forged);
        operator("SLOWLOG", "RESET");
        try (FunctionCache cache = FunctionCaches.open(url(), NS)) {
            assertThatThrownBy(() -> cache.rateLimit("sms", 10_000, Duration.ofHours(1)))
                    .isInstanceOf(CacheSerializationException.class)
                    .hasMessageContaining("not a rate-limit log");
        }
        assertEveryCallHeldTheLoopUnder(1_000);
        assertThat(redis.strlen(b(PREFIX + "v:sms"))).as("kept as it was").isEqualTo(forged.length);
    }

    /**
     * The first call compacts the forged log; the longest FCALL of each of five runs (the log
     * forged anew each time) is its cost plus whatever preempted Redis meanwhile, so the bound
     * holds for the quickest run: an unbounded walk of the 12,508 entries would exceed it in
     * every run, a loaded machine (one CI run measured 2.4 ms once) only in some.
     */
    @Test
    void aForgedLogOfTheRightShapeWithHostileTimesStaysBoundedAndIsCompacted() {
        ByteBuffer forged = ByteBuffer.allocate(8 + 8 * 12_508);
        forged.put(new byte[] {'f', 'n', 'r', 'l', 0, 0, 0, 1});
        for (int i = 0; i < 12_508; i++) {
            forged.putLong(i % 2 == 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
        }
        long quickestRun = Long.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
            redis.set(b(PREFIX + "v:forged"), forged.array());
            operator("SLOWLOG", "RESET");
            try (FunctionCache cache = FunctionCaches.open(url(), NS)) {
                for (int i = 0; i < 20; i++) {
                    cache.rateLimit("forged", 10, Duration.ofMinutes(1));
                }
            }
            long[] calls = fcallMicros();
            assertThat(calls).isNotEmpty();
            quickestRun = Math.min(quickestRun, calls[calls.length - 1]);
            assertThat(redis.strlen(b(PREFIX + "v:forged"))).isLessThanOrEqualTo(8 + 8L * 12_508);
        }
        assertThat(quickestRun).as("the longest FCALL of the quickest of five runs, in microseconds").isLessThan(1_000);
    }

    /** The target of the hardening issue: every one of 10,000 hits at limit 10,000 at most 1 ms at the 99th percentile. */
    @Test
    void tenThousandHitsAtLimitTenThousandEachHoldTheEventLoopUnderOneMillisecondAtThe99thPercentile() {
        int allowed = 0;
        List<Long> held = new ArrayList<>();
        try (FunctionCache cache = FunctionCaches.open(url(), NS)) {
            for (int i = 0; i < 10_001; i++) {
                if (i % 500 == 0) {
                    Arrays.stream(fcallMicros()).forEach(held::add);
                    operator("SLOWLOG", "RESET");
                }
                RateLimit hit = cache.rateLimit("sms:+4670", 10_000, Duration.ofHours(1));
                assertThat(hit.allowed()).as("hit %d", i + 1).isEqualTo(i < 10_000);
                allowed += hit.allowed() ? 1 : 0;
            }
            Arrays.stream(fcallMicros()).forEach(held::add);
        }
        assertThat(allowed).isEqualTo(10_000);
        long[] micros = held.stream().mapToLong(Long::longValue).sorted().toArray();
        assertThat(micros).hasSize(10_001);
        long p50 = micros[micros.length / 2];
        long p99 = micros[(int) (micros.length * 0.99)];
        long max = micros[micros.length - 1];
        long bytes = redis.strlen(b(PREFIX + "v:sms:+4670"));
        System.out.printf("rateLimit at limit 10,000 on Redis: 10,001 FCALLs, event loop held p50 %d us, p99 %d us, "
                + "max %d us; the key holds %d bytes%n", p50, p99, max, bytes);
        assertThat(p99).as("99th percentile, microseconds").isLessThanOrEqualTo(1_000);
        assertThat(bytes).isEqualTo(8 + 8L * 10_000);
    }
}
