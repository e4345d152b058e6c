package dev.fncache.bench;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * fncache's Redis backend against raw Lettuce GET, SET PX and MGET of the same bytes on the same
 * server, one connection each, both encoding and decoding the same session.
 */
@State(Scope.Benchmark)
public class RedisBenchmark {
    static final int KEYS = 10_000;
    static final int MANY = 100;

    FunctionCache fncache;
    RedisClient client;
    StatefulRedisConnection<byte[], byte[]> connection;
    RedisCommands<byte[], byte[]> raw;
    String[] keys;
    byte[][] rawKeys;
    List<String> hundredKeys;
    byte[][] hundredRawKeys;

    @Setup(Level.Trial)
    public void connect() {
        String url = BenchRedis.url();
        fncache = FunctionCaches.open(url, "bench-" + UUID.randomUUID().toString().substring(0, 8));
        client = RedisClient.create(url);
        connection = client.connect(ByteArrayCodec.INSTANCE);
        raw = connection.sync();
        keys = new String[KEYS];
        rawKeys = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "session:" + i;
            rawKeys[i] = ("raw:session:" + i).getBytes(StandardCharsets.UTF_8);
            fncache.set(keys[i], CallSession.SAMPLE, 3600);
            raw.set(rawKeys[i], CallSession.encode(CallSession.SAMPLE), SetArgs.Builder.px(3_600_000));
        }
        hundredKeys = new ArrayList<>();
        hundredRawKeys = new byte[MANY][];
        for (int i = 0; i < MANY; i++) {
            hundredKeys.add(keys[i * (KEYS / MANY)]);
            hundredRawKeys[i] = rawKeys[i * (KEYS / MANY)];
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        fncache.close();
        connection.close();
        client.shutdown();
    }

    private int any() {
        return ThreadLocalRandom.current().nextInt(KEYS);
    }

    @Benchmark
    public CallSession fncacheGet() {
        return fncache.get(keys[any()], CallSession.class);
    }

    @Benchmark
    public CallSession rawGet() {
        return CallSession.decode(raw.get(rawKeys[any()]));
    }

    @Benchmark
    public void fncacheSet() {
        fncache.set(keys[any()], CallSession.SAMPLE, 3600);
    }

    @Benchmark
    public String rawSet() {
        return raw.set(rawKeys[any()], CallSession.encode(CallSession.SAMPLE), SetArgs.Builder.px(3_600_000));
    }

    @Benchmark
    public Map<String, CallSession> fncacheGetMany100() {
        return fncache.getMany(hundredKeys, CallSession.class);
    }

    @Benchmark
    public List<CallSession> rawMget100() {
        List<CallSession> sessions = new ArrayList<>(MANY);
        for (KeyValue<byte[], byte[]> value : raw.mget(hundredRawKeys)) {
            sessions.add(CallSession.decode(value.getValue()));
        }
        return sessions;
    }

    @Benchmark
    public List<CallSession> fncacheGet100Singly() {
        List<CallSession> sessions = new ArrayList<>(MANY);
        for (String key : hundredKeys) {
            sessions.add(fncache.get(key, CallSession.class));
        }
        return sessions;
    }
}
