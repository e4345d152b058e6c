package dev.fncache.examples;

import dev.fncache.runtime.FunctionServer;
import java.time.Clock;

/**
 * The quick start's main job: the example functions on http://localhost:8080, with the cache
 * named by {@code FNCACHE_URL} (in memory when unset). {@code FUNCTION_NAME} and {@code PORT}
 * override the name and port.
 */
public final class VoiceServer {
    private VoiceServer() {
    }

    public static void main(String[] args) {
        // README: server
        VoiceFunctions functions = new VoiceFunctions(Clock.systemUTC(), VoiceFunctions::slowDirectory);
        FunctionServer.builder()
                .name("voice-demo")
                .handler("ice", functions::ice)
                .handler("pie", functions::pie)
                .handler("sms", functions::sms)
                .handler("customer", functions::customer)
                .fromEnvironment()                // FNCACHE_URL, FUNCTION_NAME, HOST, PORT, FNCACHE_CONSOLE_TOKEN
                .start()
                .closeOnShutdown();               // SIGTERM: finish in-flight requests, close the cache
        // README: end
    }
}
