package dev.fncache.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Keeps slow clients from holding the server's threads. A request's body is read without a
 * thread, as it arrives, and only a request whose body is complete (or over the size limit) is
 * handed to a thread; a body that has not arrived within the deadline is answered 408 and its
 * connection closed. So clients trickling bodies a byte at a time cost a connection each, never
 * a thread, and never for longer than the deadline.
 */
final class SlowClientGuard {
    private static final String STATE = SlowClientGuard.class.getName();

    private SlowClientGuard() {
    }

    /** Puts the guard between the server and the handlers Javalin attaches later. */
    static void install(Server server, Duration bodyDeadline, long maxBodyBytes) {
        server.insertHandler(new HandOver());
        server.insertHandler(new EagerContentHandler(
                new EagerContentHandler.RetainedContentLoaderFactory(maxBodyBytes + 1, -1, false)));
        server.insertHandler(new Deadline(bodyDeadline));
    }

    /** Whether the request went to a thread or was answered 408, whichever came first, and the timer. */
    private static final class State {
        final AtomicBoolean decided = new AtomicBoolean();
        volatile Scheduler.Task timer;
    }

    /** Starts the clock when the request's headers are in. */
    private static final class Deadline extends Handler.Wrapper {
        private final long deadlineMillis;

        Deadline(Duration deadline) {
            this.deadlineMillis = deadline.toMillis();
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            State state = new State();
            request.setAttribute(STATE, state);
            state.timer = getServer().getScheduler().schedule(() -> {
                if (state.decided.compareAndSet(false, true)) {
                    Response.writeError(request, response, callback, HttpStatus.REQUEST_TIMEOUT_408,
                            "the request body did not arrive within " + deadlineMillis + " ms");
                }
            }, deadlineMillis, TimeUnit.MILLISECONDS);
            return super.handle(request, response, callback);
        }
    }

    /** Runs once the body is in: stops the clock, unless the 408 was already sent. */
    private static final class HandOver extends Handler.Wrapper {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (request.getAttribute(STATE) instanceof State state) {
                if (!state.decided.compareAndSet(false, true)) {
                    callback.failed(new java.util.concurrent.TimeoutException("answered 408 already"));
                    return true;
                }
                state.timer.cancel();
            }
            return super.handle(request, response, callback);
        }
    }
}
