package dev.fncache.examples;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.examples.CallSessions.CallSummary;
import dev.fncache.examples.CustomerLookup.Customer;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

/**
 * The quick start's main job: runs the three seed patterns against the cache named by
 * {@code FNCACHE_URL} (in memory by default) and prints what each step does.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    static void run(PrintStream out) throws InterruptedException {
        try (FunctionCache cache = FunctionCaches.open("fncache-demo")) {
            out.println("opened " + cache);

            CallSessions sessions = new CallSessions(cache, Clock.systemUTC());
            sessions.onIncomingCall("CA123", "+46701234567");
            out.println("callback 1: stored session:CA123 for 600 s, ttl now " + cache.ttl("session:CA123").toMillis() + " ms");
            Thread.sleep(250);
            CallSummary summary = sessions.onCallAnswered("CA123");
            out.println("callback 2: caller " + summary.callerNumber() + ", call started "
                    + summary.elapsed().toMillis() + " ms ago");

            SmsRateLimiter limiter = new SmsRateLimiter(cache);
            cache.delete("sms-count:+46709999999");
            StringBuilder verdicts = new StringBuilder();
            for (int message = 1; message <= SmsRateLimiter.LIMIT + 2; message++) {
                verdicts.append(limiter.allow("+46709999999") ? "ok " : "429 ");
            }
            out.println("sms from +46709999999, 12 messages: " + verdicts.toString().strip());

            CustomerLookup lookup = new CustomerLookup(cache, Demo::slowDirectory);
            cache.delete("customer:+46701234567");
            out.println("customer lookup 1: " + timed(() -> lookup.byPhone("+46701234567")));
            out.println("customer lookup 2: " + timed(() -> lookup.byPhone("+46701234567")));

            out.println("keys now: " + cache.keys());
        }
    }

    private static Customer slowDirectory(String phone) {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Customer(phone, "Alice Andersson", "gold");
    }

    private static String timed(java.util.function.Supplier<Customer> lookup) {
        long started = System.nanoTime();
        Customer customer = lookup.get();
        return customer.name() + " (" + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms)";
    }
}
