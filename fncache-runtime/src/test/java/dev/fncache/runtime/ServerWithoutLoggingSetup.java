package dev.fncache.runtime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** A function server in a JVM with no logging configuration at all, for {@link LogsWithoutSetupTest}. */
public final class ServerWithoutLoggingSetup {
    private ServerWithoutLoggingSetup() {
    }

    public static void main(String[] args) throws Exception {
        try (FunctionServer server = FunctionServer.builder().name("no-setup").host("127.0.0.1").port(0)
                .handler("fail", (context, request) -> {
                    throw new IllegalStateException("the cause a 500 names in the log");
                })
                .start()) {
            System.out.println("port " + server.port());
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }
}
