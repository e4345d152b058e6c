package dev.fncache.runtime;

import dev.fncache.FunctionCache;
import java.time.Instant;
import org.slf4j.Logger;

/** What the runtime gives a handler for one request. */
public interface FunctionContext {

    /** The function's cache: one instance per server, shared by every request, namespaced by the function's name. */
    FunctionCache cache();

    /** The function's name, also its cache namespace ({@code FUNCTION_NAME}). */
    String functionName();

    /** This request's id: the caller's {@code X-Request-Id} when valid, else a new one; echoed in the response. */
    String requestId();

    /** When the runtime received this request. */
    Instant timestamp();

    /** An environment variable of the function, or null. */
    String env(String name);

    /** The function's logger. */
    Logger log();
}
