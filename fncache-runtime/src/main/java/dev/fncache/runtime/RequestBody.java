package dev.fncache.runtime;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to {@link #MAX_BYTES}. An oversized body is read and
 * dropped up to {@link #MAX_DRAINED_BYTES} first: closing a connection with unread input makes the
 * kernel reset it, and the client would never see the 413.
 */
final class RequestBody {
    /** The largest request body accepted; larger ones get 413. */
    static final int MAX_BYTES = 1 << 20;

    /** How much of an oversized body is read and dropped so the 413 reaches the client. */
    static final long MAX_DRAINED_BYTES = 16L << 20;

    private RequestBody() {
    }

    /** The whole body, or null when it is larger than the limit. */
    static byte[] read(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > MAX_BYTES) {
                drain(ctx, in, declared);
                return null;
            }
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length <= MAX_BYTES) {
                return body;
            }
            drain(ctx, in, -1);
            return null;
        }
    }

    private static void drain(Context ctx, InputStream in, long declared) throws IOException {
        if (declared > MAX_DRAINED_BYTES) {
            ctx.header("Connection", "close");
            return;
        }
        byte[] buffer = new byte[8192];
        long dropped = 0;
        int read;
        while ((read = in.read(buffer)) > 0) {
            dropped += read;
            if (dropped > MAX_DRAINED_BYTES) {
                ctx.header("Connection", "close");
                return;
            }
        }
    }
}
