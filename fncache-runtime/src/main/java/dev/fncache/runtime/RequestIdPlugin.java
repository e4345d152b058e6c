package dev.fncache.runtime;

import io.javalin.config.JavalinState;
import io.javalin.plugin.Plugin;

/**
 * Gives every request an id, the caller's {@code X-Request-Id} when it is sane (1 to 128 of
 * {@code A-Z a-z 0-9 . _ : -}) or a new UUID, and echoes it on the response. Mount it in any
 * Javalin application with {@code config.registerPlugin(new RequestIdPlugin())}.
 */
public final class RequestIdPlugin extends Plugin<Void> {
    @Override
    public void onInitialize(JavalinState state) {
        state.routes.before(RequestIds::assign);
    }
}
