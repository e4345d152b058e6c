package dev.fncache.examples;

import dev.fncache.runtime.FunctionServer;
import dev.fncache.LoadPolicy;
import java.time.Clock;
import java.time.Duration;

/**
 * The quick start's main job: the example functions on http://localhost:8080, with the cache
 * named by {@code FNCACHE_URL} (in memory when unset). {@code FUNCTION_NAME} and {@code PORT}
 * override the name and port; {@code CUSTOMER_TTL_SECONDS} how long {@code /customer} keeps an
 * answer (default five minutes, so that a run can show one expire), and {@code /directory}
 * takes the stand-in customer directory down and up.
 */
public final class VoiceServer {
    private VoiceServer() {
    }

    public static void main(String[] args) {
        // README: server
        StandInDirectory directory = new StandInDirectory();
        VoiceFunctions functions = new VoiceFunctions(Clock.systemUTC(), directory::lookUp, customerPolicy());
        FunctionServer.builder()
                .name("voice-demo")
                .handler("ice", functions::ice)
                .handler("pie", functions::pie)
                .handler("sms", functions::sms)
                .handler("customer", functions::customer)
                .handler("directory", directory::handle)  // the demo's switch: {"up":false} takes it down
                .fromEnvironment()                // FNCACHE_URL, FUNCTION_NAME, HOST, PORT, FNCACHE_CONSOLE_TOKEN
                .start()
                .closeOnShutdown();               // SIGTERM: finish in-flight requests, close the cache
        // README: end
    }

    /** {@link CustomerLookup#CUSTOMERS}, or the same with {@code CUSTOMER_TTL_SECONDS} as its TTL. */
    private static LoadPolicy customerPolicy() {
        String seconds = System.getenv("CUSTOMER_TTL_SECONDS");
        if (seconds == null) {
            return CustomerLookup.CUSTOMERS;
        }
        if (!seconds.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("CUSTOMER_TTL_SECONDS must be a whole number of seconds, but was '" + seconds + "'");
        }
        return LoadPolicy.ttl(Duration.ofSeconds(Long.parseLong(seconds))).staleFor(Duration.ofDays(1))
                .softTimeout(Duration.ofMillis(300));
    }
}
