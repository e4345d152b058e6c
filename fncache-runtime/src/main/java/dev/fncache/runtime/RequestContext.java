package dev.fncache.runtime;

import dev.fncache.FunctionCache;
import java.time.Instant;
import org.slf4j.Logger;

/** The {@link FunctionContext} of one request. */
record RequestContext(HostedFunction function, String requestId, Instant timestamp) implements FunctionContext {

    @Override
    public FunctionCache cache() {
        return function.cache();
    }

    @Override
    public String functionName() {
        return function.name();
    }

    @Override
    public String env(String variable) {
        return function.environment().get(variable);
    }

    @Override
    public Logger log() {
        return function.log();
    }
}
