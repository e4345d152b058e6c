package dev.fncache.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What keeping the key index atomic with the value costs a {@code set}, on raw Lettuce so that
 * only the Redis side differs: a plain {@code SET PX} (no index), the former two pipelined
 * commands {@code ZADD NX} + {@code SET PX} (not atomic), the same steps as a Lua script by
 * {@code EVALSHA}, and as fncache's library function by {@code FCALL} (what fncache sends, with the
 * version delete); and the function with an unordered {@code SADD} index, which would be cheaper
 * but cannot serve {@code keys(prefix*)} by range.
 */
@State(Scope.Benchmark)
public class RedisAtomicStepBenchmark {
    static final int KEYS = 10_000;
    private static final String SCRIPT = "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) "
            + "redis.call('ZADD', KEYS[2], 'NX', 0, ARGV[1]) redis.call('DEL', KEYS[3]) return 1";
    private static final String SET_INDEX_LIBRARY = "#!lua name=bench_set_index\n"
            + "redis.register_function('bench_set_with_sadd', function(keys, args) "
            + "redis.call('SET', keys[1], args[2], 'PX', args[3]) redis.call('SADD', keys[2], args[1]) "
            + "redis.call('DEL', keys[3]) return 1 end)";

    RedisClient client;
    StatefulRedisConnection<byte[], byte[]> connection;
    RedisCommands<byte[], byte[]> redis;
    RedisAsyncCommands<byte[], byte[]> async;
    String scriptSha;
    byte[] value;
    byte[] px = "3599999".getBytes(StandardCharsets.US_ASCII);
    byte[][] members;
    byte[][] valueKeys;
    byte[][] versionKeys;
    byte[] zsetIndex = "fncache:{bench-atomic}:index".getBytes(StandardCharsets.UTF_8);
    byte[] setIndex = "fncache:{bench-atomic}:set-index".getBytes(StandardCharsets.UTF_8);

    @Setup(Level.Trial)
    public void connect() {
        client = RedisClient.create(BenchRedis.url());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        redis = connection.sync();
        async = connection.async();
        redis.functionLoad(library(), true);
        redis.functionLoad(SET_INDEX_LIBRARY, true);
        scriptSha = redis.scriptLoad(SCRIPT);
        value = CallSession.encode(CallSession.SAMPLE);
        members = new byte[KEYS][];
        valueKeys = new byte[KEYS][];
        versionKeys = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            members[i] = ("session:" + i).getBytes(StandardCharsets.UTF_8);
            valueKeys[i] = ("fncache:{bench-atomic}:v:session:" + i).getBytes(StandardCharsets.UTF_8);
            versionKeys[i] = ("fncache:{bench-atomic}:version:session:" + i).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String library() {
        try (InputStream in = RedisAtomicStepBenchmark.class.getResourceAsStream("/dev/fncache/redis/fncache-library.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        connection.close();
        client.shutdown();
    }

    private int any() {
        return ThreadLocalRandom.current().nextInt(KEYS);
    }

    @Benchmark
    public String plainSet() {
        return redis.set(valueKeys[any()], value, SetArgs.Builder.px(3_599_999));
    }

    @Benchmark
    public String pipelinedZaddAndSet() throws ExecutionException, InterruptedException {
        int i = any();
        RedisFuture<Long> indexed = async.zadd(zsetIndex, ZAddArgs.Builder.nx(), 0, members[i]);
        RedisFuture<String> stored = async.set(valueKeys[i], value, SetArgs.Builder.px(3_599_999));
        indexed.get();
        return stored.get();
    }

    @Benchmark
    public Long evalshaScript() {
        int i = any();
        return redis.evalsha(scriptSha, ScriptOutputType.INTEGER, new byte[][] {valueKeys[i], zsetIndex, versionKeys[i]},
                members[i], value, px);
    }

    @Benchmark
    public Long fcallLibraryFunction() {
        int i = any();
        return redis.fcall("fncache_v3_set", ScriptOutputType.INTEGER, new byte[][] {valueKeys[i], zsetIndex, versionKeys[i]},
                members[i], value, px);
    }

    @Benchmark
    public Long fcallWithAnUnorderedSetIndex() {
        int i = any();
        return redis.fcall("bench_set_with_sadd", ScriptOutputType.INTEGER,
                new byte[][] {valueKeys[i], setIndex, versionKeys[i]}, members[i], value, px);
    }
}
