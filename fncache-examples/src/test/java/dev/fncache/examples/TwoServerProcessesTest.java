package dev.fncache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Two instances of the function, two JVMs, one SQLite file: what one stores, the other reads. */
class TwoServerProcessesTest {
    private static final Pattern LISTENING = Pattern.compile("function voice-demo listening on port (\\d+)");

    /** A VoiceServer in its own JVM, with its output in a file so it can be read after SIGTERM. */
    record ServerProcess(Process process, int port, Path output) {
        static ServerProcess start(String cacheUrl, Path output) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), VoiceServer.class.getName())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("FNCACHE_URL", cacheUrl);
            builder.environment().put("PORT", "0");
            builder.environment().put("FUNCTION_NAME", "voice-demo");
            Process process = builder.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && process.isAlive()) {
                Matcher listening = LISTENING.matcher(Files.readString(output));
                if (listening.find()) {
                    return new ServerProcess(process, Integer.parseInt(listening.group(1)), output);
                }
                Thread.sleep(50);
            }
            process.destroyForcibly();
            throw new AssertionError("the server did not start:\n" + Files.readString(output));
        }
    }

    @Test
    void sessionWrittenThroughOneInstanceIsReadThroughTheOther() throws Exception {
        Path directory = Files.createTempDirectory("two-servers");
        String cacheUrl = "sqlite:" + directory.resolve("cache.db");
        ServerProcess first = ServerProcess.start(cacheUrl, directory.resolve("first.log"));
        ServerProcess second = ServerProcess.start(cacheUrl, directory.resolve("second.log"));
        try {
            HttpClient http = HttpClient.newHttpClient();
            assertThat(VoiceFunctionsHttpTest.post(http, first.port(), "ice", "{\"callid\":\"CA9\",\"cli\":\"+4670999\"}")
                    .statusCode()).isEqualTo(200);
            var pie = VoiceFunctionsHttpTest.post(http, second.port(), "pie", "{\"callid\":\"CA9\"}");
            assertThat(pie.statusCode()).isEqualTo(200);
            assertThat(pie.body()).contains("\"callerNumber\":\"+4670999\"");
            for (int i = 0; i < 5; i++) {
                VoiceFunctionsHttpTest.post(http, first.port(), "sms", "{\"from\":\"+4671\",\"text\":\"x\"}");
                VoiceFunctionsHttpTest.post(http, second.port(), "sms", "{\"from\":\"+4671\",\"text\":\"x\"}");
            }
            assertThat(VoiceFunctionsHttpTest.post(http, second.port(), "sms", "{\"from\":\"+4671\",\"text\":\"x\"}")
                    .statusCode()).as("the limit counts both instances' messages").isEqualTo(429);
        } finally {
            for (ServerProcess server : List.of(first, second)) {
                server.process().destroy();
                assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(Files.readString(first.output())).contains("function voice-demo stopped; cache closed");
    }
}
