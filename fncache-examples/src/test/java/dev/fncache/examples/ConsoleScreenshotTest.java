package dev.fncache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.runtime.FunctionServer;
import dev.fncache.runtime.HeadlessChromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The quick start's server with the console on, after the README's curl commands: the console
 * shows the demo's session, rate-limit log and cached customer. Its screenshot is written to
 * target/console.png, and to the path in {@code -Dfncache.screenshot} (the README's image).
 */
@Tag("real-process")
class ConsoleScreenshotTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theConsoleShowsTheDemosSessionsCountersAndCustomers() throws Exception {
        VoiceFunctions functions = new VoiceFunctions(Clock.systemUTC(), VoiceFunctions::slowDirectory);
        FunctionServer server = FunctionServer.builder().name("voice-demo").cacheUrl("memory:screenshot-" + UUID.randomUUID())
                .host("127.0.0.1").port(0).consoleToken("dev")
                .handler("ice", functions::ice).handler("pie", functions::pie)
                .handler("sms", functions::sms).handler("customer", functions::customer)
                .start();
        ChromeDriver browser = HeadlessChromium.start();
        try {
            int port = server.port();
            VoiceFunctionsHttpTest.post(http, port, "ice", "{\"callid\":\"CA123\",\"cli\":\"+46701234567\"}");
            VoiceFunctionsHttpTest.post(http, port, "pie", "{\"callid\":\"CA123\"}");
            VoiceFunctionsHttpTest.post(http, port, "ice", "{\"callid\":\"CA124\",\"cli\":\"+46705550101\"}");
            for (int i = 0; i < 3; i++) {
                VoiceFunctionsHttpTest.post(http, port, "sms", "{\"from\":\"+46709999999\",\"text\":\"hi\"}");
            }
            for (int i = 0; i < 2; i++) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/customer?phone=%2B46701234567"))
                        .build(), HttpResponse.BodyHandlers.ofString());
            }

            browser.get("http://127.0.0.1:" + port + "/_console?token=dev");
            WebDriverWait waiting = new WebDriverWait(browser, Duration.ofSeconds(10));
            waiting.until(driver -> driver.findElements(By.cssSelector("#rows button.key")).size() == 4);
            List<String> keys = browser.findElements(By.cssSelector("#rows button.key")).stream()
                    .map(element -> element.getText()).toList();
            assertThat(keys).containsExactly("customer:+46701234567", "session:CA123", "session:CA124", "sms:+46709999999");
            browser.findElement(By.cssSelector("tr[data-key='session:CA123'] button.key")).click();
            waiting.until(ExpectedConditions.attributeContains(By.id("value"), "value", "answeredAt"));
            waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("hit-rate"), "%"));
            waiting.until(driver -> !driver.findElement(By.id("rates")).getText().equals("…"));

            Path screenshot = Path.of("console.png").toAbsolutePath();
            Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
            String copy = System.getProperty("fncache.screenshot");
            if (copy != null) {
                Files.copy(screenshot, Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            browser.quit();
            server.close();
        }
    }
}
