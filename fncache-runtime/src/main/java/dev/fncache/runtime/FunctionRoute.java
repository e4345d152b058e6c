package dev.fncache.runtime;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.MDC;

/** One route: reads the body, calls the handler and writes its result; what it throws is {@link FunctionErrors}'. */
final class FunctionRoute implements Handler {
    private final HostedFunction function;
    private final FunctionHandler handler;

    FunctionRoute(HostedFunction function, FunctionHandler handler) {
        this.function = function;
        this.handler = handler;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String requestId = RequestIds.of(ctx);
        MDC.put(RequestIds.MDC_ENTRY, requestId);
        try {
            handle(ctx, requestId);
        } finally {
            MDC.remove(RequestIds.MDC_ENTRY);
        }
    }

    private void handle(Context ctx, String requestId) throws Exception {
        byte[] body;
        try {
            body = RequestBody.read(ctx);
        } catch (IOException e) {
            Responses.error(ctx, 400, "the request body could not be read: " + e.getMessage());
            return;
        }
        if (body == null) {
            Responses.error(ctx, 413, "the request body must be at most " + RequestBody.MAX_BYTES + " bytes");
            return;
        }
        FunctionRequest request = new FunctionRequest(ctx.method().name(), ctx.path(), headers(ctx), ctx.queryParamMap(), body);
        Object result;
        try {
            result = handler.handle(new RequestContext(function, requestId, Instant.now()), request);
        } catch (Error e) {
            // Javalin maps exceptions (FunctionErrors); an Error would reach Jetty unanswered
            function.log().error("request {} to {} {} failed", requestId, ctx.method(), ctx.path(), e);
            Responses.error(ctx, 500, "the function failed; the server log has the details of request " + requestId);
            if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
                throw fatal;
            }
            return;
        }
        Responses.result(ctx, result, function.log());
    }

    private static Map<String, List<String>> headers(Context ctx) {
        Map<String, List<String>> headers = new HashMap<>();
        var names = ctx.req().getHeaderNames();
        while (names.hasMoreElements()) {
            String header = names.nextElement();
            headers.put(header.toLowerCase(Locale.ROOT), java.util.Collections.list(ctx.req().getHeaders(header)));
        }
        return headers;
    }
}
