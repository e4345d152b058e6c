package dev.fncache.redis;

import dev.fncache.CacheUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;

/** The one place where Lettuce's failures become {@link CacheUnavailableException}s naming the server. */
final class RedisFailures {
    private RedisFailures() {
    }

    /** What a command or a function of the library refused, read from Redis's error reply. */
    enum Refusal {
        /** {@code INCRBY} found a value that is not an integer. */
        NOT_AN_INTEGER,
        /** {@code INCRBY} would leave the 64-bit range. */
        OVERFLOW,
        /** {@code fncache_v6_hit} found a value that is not a sliding-window log. */
        NOT_A_LOG,
        /** A fixed window or token bucket found a value that is not its state. */
        NOT_A_STATE,
        /** The server has no such function: the library is not loaded. */
        FUNCTION_NOT_FOUND,
        /** {@code FUNCTION LOAD} of a library the server already has. */
        LIBRARY_ALREADY_LOADED,
        /** The user may not run the command (ACL). */
        NO_PERMISSION,
        /** Any other error: a server or connection failure. */
        OTHER
    }

    static Refusal refusal(RedisCommandExecutionException error) {
        String message = String.valueOf(error.getMessage());
        if (message.startsWith("ERR Function not found")) {
            return Refusal.FUNCTION_NOT_FOUND;
        }
        if (message.startsWith("NOPERM")) {
            return Refusal.NO_PERMISSION;
        }
        if (message.contains("already exists")) {
            return Refusal.LIBRARY_ALREADY_LOADED;
        }
        if (message.contains("not a rate-limit log")) {
            return Refusal.NOT_A_LOG;
        }
        if (message.contains("not a rate-limit state")) {
            return Refusal.NOT_A_STATE;
        }
        if (message.contains("overflow")) {
            return Refusal.OVERFLOW;
        }
        return message.contains("not an integer") ? Refusal.NOT_AN_INTEGER : Refusal.OTHER;
    }

    /** The operations that change data: one of them that failed in flight may still have been applied. */
    private static final java.util.Set<String> WRITES = java.util.Set.of(
            "set", "setIfAbsent", "delete", "extend", "increment", "replace", "update", "rateLimit", "getOrSet",
            "setMany", "deleteMany", "deleteAll");

    static CacheUnavailableException unavailable(RedisLocation location, String operation, RuntimeException e) {
        if (e instanceof LettuceClient.ReplicaAcksMissingException) {
            return new CacheUnavailableException(location + ": cannot " + operation + ": " + e.getMessage(), e, true);
        }
        String reason = reason(location, e);
        boolean unknown = WRITES.contains(operation) && sentWithoutAnswer(e);
        return new CacheUnavailableException(location + ": cannot " + operation + ": " + reason
                + (unknown ? "; the write may still have been applied (no answer came back)" : ""), e, unknown);
    }

    /** A timeout, or a connection lost with the command in flight; not a command refused before sending. */
    private static boolean sentWithoutAnswer(RuntimeException e) {
        if (e instanceof RedisCommandTimeoutException) {
            return true;
        }
        String message = String.valueOf(e.getMessage());
        return !(e instanceof RedisCommandExecutionException) && !(e instanceof RedisConnectionException)
                && !(e instanceof FunctionLibrary.MissingLibraryException)
                && !message.contains("Currently not connected") && !message.contains("Commands are rejected");
    }

    /** What a failed connect most likely means, for the TLS mix-ups whose errors all read "Unable to connect". */
    private static String connectHint(RedisLocation location, RuntimeException e) {
        boolean tls = location.nodes().get(0).isSsl();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof javax.net.ssl.SSLHandshakeException && message.contains("PKIX")) {
                return ": the server's TLS certificate is not signed by an authority this JVM trusts; add the CA "
                        + "that signed it to a trust store (-Djavax.net.ssl.trustStore=...)";
            }
            if (cause instanceof javax.net.ssl.SSLException && message.contains("plaintext")
                    || message.contains("nrecognized SSL message")) {
                return ": the server does not speak TLS on this port; use redis:// for a plain server";
            }
            if (tls && cause instanceof RedisCommandTimeoutException) {
                return ": the TLS handshake got no answer, as from a server that does not speak TLS on this port "
                        + "(use redis:// for a plain server)";
            }
            if (!tls && cause instanceof java.net.SocketException && message.contains("Connection reset")) {
                return ": the server dropped the connection at once, as a TLS-only port does to a plain client "
                        + "(use rediss:// if it speaks TLS)";
            }
        }
        return "";
    }

    /** The server's refusal of the credentials (WRONGPASS, NOAUTH, NOPERM at HELLO or AUTH) behind a failed connect, or null. */
    private static String authenticationRefusal(RuntimeException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof RedisCommandExecutionException
                    && (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH") || message.startsWith("NOPERM"))) {
                return "'" + message + "'";
            }
        }
        return null;
    }

    private static String reason(RedisLocation location, RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof RedisCommandTimeoutException) {
            return "no answer within the command timeout of " + location.timeout().toMillis() + " ms";
        }
        if (e instanceof FunctionLibrary.MissingLibraryException) {
            return message + " (" + e.getCause().getMessage() + ")";
        }
        if (e instanceof RedisConnectionException) {
            String refused = authenticationRefusal(e);
            if (refused != null) {
                return "authentication failed: the server answered " + refused + " (check the user and password)";
            }
            return "cannot connect (" + message + ")" + connectHint(location, e);
        }
        if (e instanceof RedisCommandExecutionException) {
            if (message.startsWith("NOPERM")) {
                return "the server's ACL denies this user access to the namespace's keys (" + message + ")";
            }
            if (message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")) {
                return "authentication failed (" + message + ")";
            }
            if (message.startsWith("OOM")) {
                return "the server is out of memory and refuses writes (" + message + ")";
            }
            return "the server answered an error (" + message + ")";
        }
        return "the connection is down (" + message + ")";
    }
}
