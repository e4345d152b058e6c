package dev.fncache.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisFunctionCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.function.Function;

/**
 * fncache's Redis function library ({@code deploy/redis/fncache-library.lua}) as the client
 * uses it: a call that finds the library missing (first use, a server restarted without
 * persistence, a flushed library) loads it on every master and calls again.
 */
final class FunctionLibrary {
    private final LettuceClient client;

    FunctionLibrary(LettuceClient client) {
        this.client = client;
    }

    /**
     * Calls {@code function}; an error the function raised is first offered to
     * {@code functionError}, which may return the exception to throw instead (or null to throw
     * the server's error).
     */
    <T> T call(RedisClusterCommands<byte[], byte[]> redis, RedisFunction function, ScriptOutputType output,
            Function<RedisCommandExecutionException, RuntimeException> functionError, byte[][] keys, byte[]... args) {
        try {
            try {
                return redis.fcall(function.functionName, output, keys, args);
            } catch (RedisCommandExecutionException e) {
                if (RedisFailures.refusal(e) != RedisFailures.Refusal.FUNCTION_NOT_FOUND) {
                    throw e;
                }
                loadOnEveryMaster();
                return redis.fcall(function.functionName, output, keys, args);
            }
        } catch (RedisCommandExecutionException e) {
            RuntimeException interpreted = functionError.apply(e);
            throw interpreted != null ? interpreted : e;
        }
    }

    private void loadOnEveryMaster() {
        for (RedisFunctionCommands<byte[], byte[]> master : client.everyMaster()) {
            try {
                master.functionLoad(RedisFunction.librarySource());
            } catch (RedisCommandExecutionException e) {
                switch (RedisFailures.refusal(e)) {
                    case LIBRARY_ALREADY_LOADED:
                        continue;
                    case NO_PERMISSION:
                        throw new MissingLibraryException(e);
                    default:
                        throw e;
                }
            }
        }
    }

    /** The server lacks fncache's function library, and this user may not load it. */
    static final class MissingLibraryException extends RedisException {
        private static final long serialVersionUID = 1L;

        MissingLibraryException(Throwable cause) {
            super("the server has no Redis function library " + RedisFunction.LIBRARY + " and this user may not "
                    + "load it; an operator loads it once with deploy/redis/fncache-load-library", cause);
        }
    }
}
