package dev.fncache.bench.rows;

import dev.fncache.bench.harness.Interleaved;
import dev.fncache.bench.harness.InterleavedState;
import dev.fncache.bench.fixtures.CallSession;
import dev.fncache.bench.fixtures.BenchRedis;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * fncache's Redis backend against raw Lettuce GET, SET PX and MGET of the same bytes on the same
 * server, one connection each shared by every benchmark thread, both encoding and decoding the
 * same session. The sides named in {@code sides} take turns, one iteration each (see {@link
 * Interleaved}); side {@code fncacheGet100Singly} is 100 single fncache {@code get}s, the
 * alternative to one {@code getMany(100)}; side {@code fncacheSetReplicaAcks} is {@code set} on
 * the same namespace through {@code ?replicaAcks=1} (the server has one replica, see {@link
 * BenchRedis}).
 */
@State(Scope.Benchmark)
public class RedisBenchmark extends InterleavedState<RedisBenchmark.Side> {
    /** What a turn calls. */
    public enum Side {
        FNCACHE_GET, RAW_GET, FNCACHE_SET, RAW_SET, FNCACHE_GET_MANY_100, RAW_MGET_100, FNCACHE_GET_100_SINGLY,
        /** fncache {@code set} through a URL with {@code ?replicaAcks=1}: each write waits for the replica. */
        FNCACHE_SET_REPLICA_ACKS,
        /** fncache {@code getOrSetMany} of the same 100 keys, every one present: the loader never runs. */
        FNCACHE_GET_OR_SET_MANY_100,
        /** fncache {@code get} through {@code ?nearCache=20000}, on a namespace of its own whose every key has a copy. */
        FNCACHE_NEAR_GET,
        /**
         * The same, read as a class with settable fields: a type callers could change, so each hit
         * decodes its copy anew where an immutable record's is decoded once.
         */
        FNCACHE_NEAR_GET_MUTABLE,
        /** Raw {@code FCALL} of the library's set, in a namespace no near cache reads: it looks for the flag and announces nothing. */
        RAW_FCALL_SET,
        /** The same function from a copy of the library whose announcement does nothing: what looking for the flag costs. */
        RAW_FCALL_SET_UNANNOUNCED
    }

    static final int KEYS = 10_000;
    static final int MANY = 100;

    @Param("FNCACHE_GET,RAW_GET,FNCACHE_SET,RAW_SET,FNCACHE_GET_MANY_100,RAW_MGET_100")
    public String sides;

    FunctionCache fncache;
    FunctionCache fncacheReplicaAcks;
    FunctionCache fncacheNear;
    String namespace;
    RedisClient client;
    StatefulRedisConnection<byte[], byte[]> connection;
    RedisCommands<byte[], byte[]> raw;
    String[] keys;
    byte[][] rawKeys;
    List<String> hundredKeys;
    byte[][] hundredRawKeys;

    @Setup(Level.Trial)
    public void connect() throws Exception {
        takeTurns(sides, Side.class);
        String url = BenchRedis.url();
        namespace = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        fncache = FunctionCaches.open(url, namespace);
        fncacheReplicaAcks = FunctionCaches.open(url + "?replicaAcks=1", namespace);
        fncacheNear = FunctionCaches.open(url + "?nearCache=20000", namespace + "-near");
        client = RedisClient.create(url);
        connection = client.connect(ByteArrayCodec.INSTANCE);
        raw = connection.sync();
        fncache.set("library-loaded", 1, 60);
        raw.functionLoad(unannouncedLibrary(), true);
        keys = new String[KEYS];
        rawKeys = new byte[KEYS][];
        List<RedisFuture<String>> rawSets = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "session:" + i;
            rawKeys[i] = ("raw:session:" + i).getBytes(StandardCharsets.UTF_8);
            rawSets.add(connection.async().set(rawKeys[i], CallSession.encode(CallSession.SAMPLE), SetArgs.Builder.px(3_600_000)));
        }
        LettuceFutures.awaitAll(Duration.ofMinutes(1), rawSets.toArray(new RedisFuture<?>[0]));
        ExecutorService fill = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> sets = new ArrayList<>(KEYS);
            for (String key : keys) {
                sets.add(fill.submit(() -> fncache.set(key, CallSession.SAMPLE, 3600)));
            }
            for (Future<?> set : sets) {
                set.get();
            }
        } finally {
            fill.shutdown();
        }
        fillNearCache();
        hundredKeys = new ArrayList<>();
        hundredRawKeys = new byte[MANY][];
        for (int i = 0; i < MANY; i++) {
            hundredKeys.add(keys[i * (KEYS / MANY)]);
            hundredRawKeys[i] = rawKeys[i * (KEYS / MANY)];
        }
        primeEverySide(150);
    }

    /**
     * Stores the keys in the near cache's own namespace (so no other side's write is announced to
     * it, and its subscription costs no other side anything) and reads each until it has a copy.
     */
    private void fillNearCache() throws InterruptedException {
        for (int from = 0; from < KEYS; from += 1_000) {
            Map<String, CallSession> chunk = new java.util.HashMap<>();
            for (int i = from; i < from + 1_000; i++) {
                chunk.put(keys[i], CallSession.SAMPLE);
            }
            fncacheNear.setMany(chunk, Duration.ofHours(1));
        }
        for (int pass = 0; pass < 3; pass++) {
            for (String key : keys) {
                fncacheNear.get(key, CallSession.class);
            }
            Thread.sleep(10);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        fncache.close();
        fncacheReplicaAcks.close();
        fncacheNear.close();
        connection.close();
        client.shutdown();
    }

    private int any() {
        return ThreadLocalRandom.current().nextInt(KEYS);
    }

    @Benchmark
    @Override
    public Object turn() {
        int key = any();
        return switch (side) {
            case FNCACHE_GET -> fncacheGet(key);
            case RAW_GET -> rawGet(key);
            case FNCACHE_SET -> fncacheSet(key);
            case RAW_SET -> rawSet(key);
            case FNCACHE_GET_MANY_100 -> fncacheGetMany100();
            case RAW_MGET_100 -> rawMget100();
            case FNCACHE_GET_100_SINGLY -> fncacheGet100Singly();
            case FNCACHE_SET_REPLICA_ACKS -> fncacheSetReplicaAcks(key);
            case FNCACHE_GET_OR_SET_MANY_100 -> fncacheGetOrSetMany100();
            case FNCACHE_NEAR_GET -> fncacheNearGet(key);
            case FNCACHE_NEAR_GET_MUTABLE -> fncacheNear.get(keys[key], MutableCallSession.class);
            case RAW_FCALL_SET -> rawFcallSet(key, "fncache_v6_set");
            case RAW_FCALL_SET_UNANNOUNCED -> rawFcallSet(key, "fncache_unannounced_set");
        };
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private CallSession fncacheGet(int key) {
        return fncache.get(keys[key], CallSession.class);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private CallSession rawGet(int key) {
        return CallSession.decode(raw.get(rawKeys[key]));
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private int fncacheSet(int key) {
        fncache.set(keys[key], CallSession.SAMPLE, 3600);
        return key;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private int fncacheSetReplicaAcks(int key) {
        fncacheReplicaAcks.set(keys[key], CallSession.SAMPLE, 3600);
        return key;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private String rawSet(int key) {
        return raw.set(rawKeys[key], CallSession.encode(CallSession.SAMPLE), SetArgs.Builder.px(3_600_000));
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private Map<String, CallSession> fncacheGetMany100() {
        return fncache.getMany(hundredKeys, CallSession.class);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private Map<String, CallSession> fncacheGetOrSetMany100() {
        return fncache.getOrSetMany(hundredKeys, CallSession.class, ALL_PRESENT, missing -> {
            throw new IllegalStateException("a benchmark key was missing: " + missing);
        });
    }

    private static final dev.fncache.LoadPolicy ALL_PRESENT = dev.fncache.LoadPolicy.ttl(Duration.ofHours(1));

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private List<CallSession> rawMget100() {
        List<CallSession> fromMget = new ArrayList<>(MANY);
        for (KeyValue<byte[], byte[]> value : raw.mget(hundredRawKeys)) {
            fromMget.add(CallSession.decode(value.getValue()));
        }
        return fromMget;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private List<CallSession> fncacheGet100Singly() {
        List<CallSession> singly = new ArrayList<>(MANY);
        for (String one : hundredKeys) {
            singly.add(fncache.get(one, CallSession.class));
        }
        return singly;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    /** {@link CallSession}'s fields as a class whose fields a caller may set. */
    public static final class MutableCallSession {
        public String callId;
        public String callerNumber;
        public java.time.Instant startTime;
        public String state;
    }

    private CallSession fncacheNearGet(int key) {
        return fncacheNear.get(keys[key], CallSession.class);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private Long rawFcallSet(int key, String function) {
        byte[] member = ("fcall:" + key).getBytes(StandardCharsets.UTF_8);
        String base = "fncache:{" + namespace + "}:";
        byte[][] names = {(base + "v:fcall:" + key).getBytes(StandardCharsets.UTF_8),
            (base + "index").getBytes(StandardCharsets.UTF_8), (base + "version:fcall:" + key).getBytes(StandardCharsets.UTF_8)};
        return raw.fcall(function, io.lettuce.core.ScriptOutputType.INTEGER, names, member,
                CallSession.encode(CallSession.SAMPLE), "3599999".getBytes(StandardCharsets.US_ASCII));
    }

    /** The packaged library under another name, its announcement a no-op: the baseline of what SPUBLISH costs. */
    private static String unannouncedLibrary() throws java.io.IOException {
        String library;
        try (java.io.InputStream in = FunctionCaches.class.getClassLoader()
                .getResourceAsStream("dev/fncache/redis/fncache-library.lua")) {
            library = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String quiet = library.replace("fncache_v6", "fncache_unannounced")
                .replace("local function announce(value_key, members)\n", "local function announce(value_key, members)\n  do return end\n");
        if (quiet.equals(library.replace("fncache_v6", "fncache_unannounced"))) {
            throw new IllegalStateException("the library's announce function was not found");
        }
        return quiet;
    }
}
