package dev.fncache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.tck.ChildJvm;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose application configures no logging still logs its start line and the cause of
 * every 500; one whose application has its own logback.xml logs as that file says.
 */
@Tag("real-process")
class LogsWithoutSetupTest {
    @Test
    void theStartLineAndTheCauseOfA500AreLoggedWithNoLoggingConfiguration() throws Exception {
        try (ChildJvm child = ChildJvm.start(ServerWithoutLoggingSetup.class)) {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = child.readLine()) != null && !line.startsWith("port ")) {
                lines.add(line);
            }
            assertThat(line).as("the child's output: %s", lines).isNotNull();
            assertThat(lines).anySatisfy(logged -> assertThat(logged).contains("INFO", "function no-setup listening on port"));
            int port = Integer.parseInt(line.substring("port ".length()));
            HttpResponse<String> failed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/fail")).header("X-Request-Id", "req-no-setup").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).contains("the server log has the details of request req-no-setup");
            List<String> after = new ArrayList<>();
            while ((line = child.readLine()) != null && !line.contains("the cause a 500 names in the log")) {
                after.add(line);
            }
            assertThat(line).as("the child's output after the 500: %s", after)
                    .contains("java.lang.IllegalStateException: the cause a 500 names in the log");
            assertThat(after).anySatisfy(logged -> assertThat(logged)
                    .contains("ERROR", "[req-no-setup]", "request req-no-setup to GET /fail failed"));
            child.send("stop");
            assertThat(child.waitFor(20)).isZero();
        }
    }

    /** Regression: the runtime's default configuration ran before logback's file lookup and hid every logback.xml. */
    @Test
    void anApplicationsOwnLogbackXmlDecidesHowTheServerLogs(@TempDir Path resources) throws Exception {
        Files.writeString(resources.resolve("logback.xml"), """
                <configuration>
                  <appender name="OWN" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>own-format %level %msg%n</pattern></encoder>
                  </appender>
                  <logger name="io.javalin" level="WARN"/>
                  <logger name="org.eclipse.jetty" level="WARN"/>
                  <root level="INFO"><appender-ref ref="OWN"/></root>
                </configuration>
                """);
        try (ChildJvm child = ChildJvm.start(List.of(resources), ServerWithoutLoggingSetup.class)) {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = child.readLine()) != null && !line.startsWith("port ")) {
                lines.add(line);
            }
            assertThat(line).as("the child's output: %s", lines).isNotNull();
            assertThat(lines).as("every line the server logged before it answered").isNotEmpty()
                    .allSatisfy(logged -> assertThat(logged).startsWith("own-format "))
                    .anySatisfy(logged -> assertThat(logged).startsWith("own-format INFO function no-setup listening on port"));
            child.send("stop");
            assertThat(child.waitFor(20)).isZero();
        }
    }
}
