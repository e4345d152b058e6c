package dev.fncache.redis;

import dev.fncache.CacheCheck;
import dev.fncache.spi.CacheUrl;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code fncache doctor}'s Redis checks, made as the URL's own user on a connection of their own:
 * the function library is loaded at the version this jar calls; the user is confined to its
 * namespace (another namespace's key cannot be read) and may not run {@code CLIENT}, {@code EVAL},
 * {@code FUNCTION} or {@code SCAN}; with a near cache, it may use its namespace's channel and
 * no other's; the server never evicts live keys and persists them (when
 * the user may read the configuration); a cluster covers every slot.
 */
final class RedisDoctor {
    private static final String FOREIGN_NAMESPACE = "fncache-doctor-foreign";

    private RedisDoctor() {
    }

    static List<CacheCheck> check(CacheUrl url, String namespace) {
        RedisLocation location = RedisLocation.parse(url);
        List<CacheCheck> checks = new ArrayList<>();
        LettuceClient client;
        try {
            client = LettuceClient.connect(location);
        } catch (RedisException e) {
            checks.add(CacheCheck.fail("connect", RedisFailures.unavailable(location, "connect", e).getMessage()));
            return checks;
        }
        try (client) {
            RedisClusterCommands<byte[], byte[]> redis = client.commands;
            RedisKeyLayout layout = new RedisKeyLayout(namespace);
            checks.add(library(redis, layout));
            checks.add(confinement(redis));
            checks.add(refused(redis, "CLIENT", "CLIENT LIST (CLIENT TRACKING would report every tenant's key names)",
                    r -> r.dispatch(CommandType.CLIENT, status(), args().add("LIST"))));
            checks.add(refused(redis, "EVAL", "EVAL (arbitrary Lua can block the server)",
                    r -> r.eval("return 1", ScriptOutputType.INTEGER, new byte[0][])));
            checks.add(refused(redis, "FUNCTION", "FUNCTION LIST (a tenant could delete or flush the library)",
                    r -> r.dispatch(CommandType.FUNCTION, status(), args().add("LIST"))));
            checks.add(refused(redis, "SCAN", "SCAN (it lists every namespace's keys)",
                    r -> r.dispatch(CommandType.SCAN, status(), args().add("0").add("COUNT").add("1"))));
            checks.add(CacheCheck.skip("KEYS refused", "not run: KEYS walks the whole keyspace and blocks the server "
                    + "while it does; fncache-acl-user grants no command by category, so a user that may not SCAN may not KEYS"));
            if (location.nearCache() != null) {
                checks.add(nearCacheChannel(redis, layout));
            }
            checks.addAll(configuration(redis));
            if (location.cluster()) {
                checks.add(clusterSlots(redis));
            }
        } catch (RuntimeException e) {
            checks.add(CacheCheck.fail("checks", "stopped early: " + e.getMessage()));
        }
        return checks;
    }

    private static CacheCheck library(RedisClusterCommands<byte[], byte[]> redis, RedisKeyLayout layout) {
        String name = "function library " + RedisFunction.LIBRARY;
        try {
            redis.fcall(RedisFunction.LIVE_MEMBERS.functionName, ScriptOutputType.MULTI, new byte[][] {layout.index()});
            return CacheCheck.pass(name, "loaded; this jar calls " + RedisFunction.LIBRARY);
        } catch (RedisCommandExecutionException e) {
            if (RedisFailures.refusal(e) == RedisFailures.Refusal.FUNCTION_NOT_FOUND) {
                return CacheCheck.fail(name, "not loaded on this server (or not at this version): an operator loads it "
                        + "with deploy/redis/fncache-load-library, on every master of a cluster");
            }
            return CacheCheck.fail(name, "calling it failed: " + e.getMessage());
        }
    }

    private static CacheCheck confinement(RedisClusterCommands<byte[], byte[]> redis) {
        String name = "confined to its namespace";
        byte[] foreign = new RedisKeyLayout(FOREIGN_NAMESPACE).valueKey("probe");
        try {
            redis.get(foreign);
            return CacheCheck.fail(name, "this user read the key fncache:{" + FOREIGN_NAMESPACE + "}:v:probe of another "
                    + "namespace, so it can read every function's keys; give it the line deploy/redis/fncache-acl-user prints");
        } catch (RedisCommandExecutionException e) {
            return RedisFailures.refusal(e) == RedisFailures.Refusal.NO_PERMISSION
                    ? CacheCheck.pass(name, "reading another namespace's key was refused (NOPERM)")
                    : CacheCheck.fail(name, "reading another namespace's key failed otherwise: " + e.getMessage());
        }
    }

    private static CacheCheck refused(RedisClusterCommands<byte[], byte[]> redis, String command, String what,
            Function<RedisClusterCommands<byte[], byte[]>, Object> call) {
        String name = command + " refused";
        try {
            call.apply(redis);
            return CacheCheck.fail(name, "this user may run " + what + "; give it the line deploy/redis/fncache-acl-user prints");
        } catch (RedisCommandExecutionException e) {
            return RedisFailures.refusal(e) == RedisFailures.Refusal.NO_PERMISSION
                    ? CacheCheck.pass(name, "refused (NOPERM)")
                    : CacheCheck.fail(name, "failed otherwise than by permission: " + e.getMessage());
        }
    }

    /**
     * With {@code ?nearCache=N}: the user may use its namespace's channel and no other's, and
     * keep its namespace's near-cache key. Probed with {@code SPUBLISH} and a near cache's
     * heartbeat of a message every near cache ignores ({@code h} alone: no heartbeat's length);
     * the channel's ACL pattern decides subscribing too.
     */
    private static CacheCheck nearCacheChannel(RedisClusterCommands<byte[], byte[]> redis, RedisKeyLayout layout) {
        String name = "near cache channel";
        byte[] ignored = {'h'};
        try {
            redis.spublish(layout.changes(), ignored);
        } catch (RedisCommandExecutionException e) {
            return CacheCheck.fail(name, "this user may not use its namespace's channel (" + e.getMessage() + "), so its "
                    + "near cache serves nothing; give it the line deploy/redis/fncache-acl-user prints (it grants the "
                    + "channel since fncache_v5)");
        }
        try {
            redis.fcall(RedisFunction.NEAR_HEARTBEAT.functionName, ScriptOutputType.VALUE, new byte[][] {layout.nearFlag()},
                    ignored, NearCache.freshFlagId(), NearCache.FLAG_PX);
        } catch (RedisCommandExecutionException e) {
            return CacheCheck.fail(name, "this user may not keep its namespace's key fncache:{NAMESPACE}:near ("
                    + e.getMessage() + "), so its near cache serves nothing; give it the line "
                    + "deploy/redis/fncache-acl-user prints (it grants the key since fncache_v6)");
        }
        try {
            redis.spublish(new RedisKeyLayout(FOREIGN_NAMESPACE).changes(), ignored);
            return CacheCheck.fail(name, "this user may use another namespace's channel fncache:{" + FOREIGN_NAMESPACE
                    + "}:changes, so it can hear every function's key names; give it the line deploy/redis/fncache-acl-user prints");
        } catch (RedisCommandExecutionException e) {
            return RedisFailures.refusal(e) == RedisFailures.Refusal.NO_PERMISSION
                    ? CacheCheck.pass(name, "its namespace's channel may be used, another namespace's was refused (NOPERM)")
                    : CacheCheck.fail(name, "another namespace's channel failed otherwise: " + e.getMessage());
        }
    }

    private static List<CacheCheck> configuration(RedisClusterCommands<byte[], byte[]> redis) {
        Map<String, String> config;
        try {
            config = redis.configGet("maxmemory-policy", "appendonly", "save");
        } catch (RedisCommandExecutionException e) {
            String why = "this user may not read the server's configuration (as the recipe's users may not); "
                    + "check it as the operator: CONFIG GET maxmemory-policy appendonly";
            return List.of(CacheCheck.skip("maxmemory-policy", why), CacheCheck.skip("persistence", why));
        }
        String policy = config.getOrDefault("maxmemory-policy", "");
        CacheCheck eviction = policy.equals("noeviction")
                ? CacheCheck.pass("maxmemory-policy", "noeviction: live keys are never evicted before their TTL")
                : CacheCheck.fail("maxmemory-policy", policy + " evicts live keys when memory is full (sessions and "
                        + "counters vanish early); use noeviction, as deploy/redis/redis.conf does");
        boolean aof = "yes".equals(config.get("appendonly"));
        boolean snapshots = !config.getOrDefault("save", "").isBlank();
        CacheCheck persistence = aof
                ? CacheCheck.pass("persistence", "append-only file on: a restart keeps the keys")
                : CacheCheck.fail("persistence", (snapshots ? "only RDB snapshots: a crash loses the writes since the last "
                        + "one" : "none: a restart loses every key") + "; use appendonly yes, as deploy/redis/redis.conf does");
        return List.of(eviction, persistence);
    }

    private static CacheCheck clusterSlots(RedisClusterCommands<byte[], byte[]> redis) {
        String info = redis.clusterInfo();
        boolean ok = info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384");
        return ok ? CacheCheck.pass("cluster slots", "all 16384 slots served (cluster_state:ok)")
                : CacheCheck.fail("cluster slots", "the cluster does not serve every slot: " + info.lines()
                        .filter(line -> line.startsWith("cluster_state") || line.startsWith("cluster_slots")).toList());
    }

    private static StatusOutput<byte[], byte[]> status() {
        return new StatusOutput<>(ByteArrayCodec.INSTANCE);
    }

    private static CommandArgs<byte[], byte[]> args() {
        return new CommandArgs<>(ByteArrayCodec.INSTANCE);
    }
}
