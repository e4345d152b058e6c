package dev.fncache.runtime;

/**
 * A function: one HTTP or voice-callback handler. What it returns becomes the response: a
 * {@link FunctionResponse} as it is, {@code null} a 204, a {@code String} a 200 {@code text/plain},
 * anything else a 200 JSON body. An exception becomes a 500 carrying the request id.
 */
@FunctionalInterface
public interface FunctionHandler {
    Object handle(FunctionContext context, FunctionRequest request) throws Exception;
}
