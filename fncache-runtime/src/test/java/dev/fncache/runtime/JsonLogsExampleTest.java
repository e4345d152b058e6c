package dev.fncache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The logback.xml docs/operations.md gives for JSON logs writes one JSON object per line, with the request id. */
class JsonLogsExampleTest {
    @Test
    void theDocumentedJsonConfigurationWritesJsonLinesWithTheRequestId() throws Exception {
        Matcher block = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("../docs/operations.md")));
        assertThat(block.find()).as("docs/operations.md has the JSON logging example").isTrue();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        PrintStream standardOutput = System.out;
        System.setOut(new PrintStream(written, true, StandardCharsets.UTF_8));
        try {
            configurator.doConfigure(new ByteArrayInputStream(block.group(1).getBytes(StandardCharsets.UTF_8)));
            context.getMDCAdapter().put(RequestIds.MDC_ENTRY, "req-json-1");
            context.getLogger("fncache.function.voice-demo").info("stored session {}", "CA123");
        } finally {
            System.setOut(standardOutput);
            context.stop();
        }
        String line = written.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("stored session"))
                .findFirst().orElseThrow();
        assertThat(line).startsWith("{").endsWith("}").contains("\"level\":\"INFO\"", "stored session", "req-json-1");
    }
}
