package dev.fncache.examples;

import static dev.fncache.runtime.FunctionRequest.requireKey;

import dev.fncache.LoadPolicy;
import dev.fncache.RateLimit;
import dev.fncache.examples.CallSessions.CallSummary;
import dev.fncache.examples.CustomerLookup.Customer;
import dev.fncache.runtime.FunctionContext;
import dev.fncache.runtime.FunctionRequest;
import dev.fncache.runtime.FunctionResponse;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The seed's patterns as HTTP functions: the handlers behind /ice, /pie, /sms and /customer. */
public final class VoiceFunctions {

    /** {@code POST /ice} body. */
    public record IncomingCall(String callid, String cli) {
    }

    /** {@code POST /pie} body. */
    public record AnsweredCall(String callid) {
    }

    /** {@code POST /sms} body. */
    public record Sms(String from, String text) {
    }

    /** {@code POST /ice} answer. */
    public record Stored(String stored, long ttlSeconds) {
    }

    /** {@code POST /pie} answer. */
    public record Answered(String callid, String callerNumber, long elapsedMillis) {
    }

    /** {@code POST /sms} answer. */
    public record Accepted(boolean accepted, String from) {
    }


    private final Clock clock;
    private final Function<String, Customer> directory;
    private final LoadPolicy customers;

    public VoiceFunctions(Clock clock, Function<String, Customer> directory) {
        this(clock, directory, CustomerLookup.CUSTOMERS);
    }

    /** With {@code customers} as {@code /customer}'s policy instead of {@link CustomerLookup#CUSTOMERS}. */
    public VoiceFunctions(Clock clock, Function<String, Customer> directory, LoadPolicy customers) {
        this.clock = clock;
        this.directory = directory;
        this.customers = customers;
    }

    // README: handlers
    /** Stores who called, for the later callbacks of the same call. */
    public Object ice(FunctionContext context, FunctionRequest request) {
        IncomingCall call = request.bodyAs(IncomingCall.class); // a JSON body, or a form one (callid=CA1&cli=...)
        String callId = requireKey("callid", call.callid(), "session:"); // missing or not a key: 400 naming callid
        new CallSessions(context.cache(), clock).onIncomingCall(callId, requireKey("cli", call.cli()));
        return new Stored("session:" + callId, 600);
    }

    /** Reads the session back: the caller and how long ago the call came in. */
    public Object pie(FunctionContext context, FunctionRequest request) {
        AnsweredCall call = request.bodyAs(AnsweredCall.class);
        String callId = requireKey("callid", call.callid(), "session:");
        CallSummary summary = new CallSessions(context.cache(), clock).onCallAnswered(callId);
        if (summary == null) {
            return FunctionResponse.error(404, "no session for call " + callId);
        }
        return new Answered(callId, summary.callerNumber(), summary.elapsed().toMillis());
    }
    // README: end

    /** Accepts up to 10 messages per sender in any hour, exactly, across every instance; then 429 with Retry-After. */
    public Object sms(FunctionContext context, FunctionRequest request) {
        Sms sms = request.bodyAs(Sms.class);
        String from = requireKey("from", sms.from(), "sms:");
        RateLimit limit = new SmsRateLimiter(context.cache()).allow(from);
        if (!limit.allowed()) {
            long retryAfterSeconds = (limit.retryAfter().toMillis() + 999) / 1000;
            return FunctionResponse.error(429, "at most " + SmsRateLimiter.LIMIT + " messages in any hour from " + from
                    + " (" + SmsRateLimiter.PER_SENDER + ")").withHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        return new Accepted(true, from);
    }

    /**
     * Looks a caller up in the slow directory, through the cache; X-Cache says which answered:
     * HIT (the cache), MISS (the directory) or STALE (the last answer, the directory having
     * failed or not answered within the soft timeout).
     */
    public Object customer(FunctionContext context, FunctionRequest request) {
        String phone = requireKey("phone", request.queryParam("phone"), "customer:");
        AtomicInteger directoryCalls = new AtomicInteger();
        AtomicInteger directoryAnswers = new AtomicInteger();
        Customer customer = new CustomerLookup(context.cache(), number -> {
            directoryCalls.incrementAndGet();
            Customer answer = directory.apply(number);
            directoryAnswers.incrementAndGet();
            return answer;
        }, customers).byPhone(phone);
        if (customer == null) {
            return FunctionResponse.error(404, "no customer with phone " + phone);
        }
        String source = directoryCalls.get() == 0 ? "HIT" : directoryAnswers.get() > 0 ? "MISS" : "STALE";
        return FunctionResponse.ok(customer).withHeader("X-Cache", source);
    }

    /** A stand-in customer directory that takes about 200 ms, like a real remote lookup. */
    public static Customer slowDirectory(String phone) {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the directory", e);
        }
        return new Customer(phone, "Alice Andersson", "gold");
    }
}
