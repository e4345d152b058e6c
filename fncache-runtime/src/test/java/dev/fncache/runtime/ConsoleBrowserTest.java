package dev.fncache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The console in a real headless Chromium (Debian's chromium and chromium-driver). */
@Tag("real-process")
class ConsoleBrowserTest {
    private static final String TOKEN = "browser-test-token-9876543210";
    private static ChromeDriver browser;
    private final String store = "memory:console-browser-" + UUID.randomUUID();
    private final String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
    private FunctionServer server;
    private FunctionCache cache;

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void startServer() {
        server = FunctionServer.builder().name(name).cacheUrl(store).host("127.0.0.1").port(0)
                .consoleToken(TOKEN).handler("ping", (context, request) -> "pong").start();
        cache = FunctionCaches.open(store, name);
    }

    @AfterEach
    void stopServer() {
        cache.close();
        server.close();
        browser.manage().deleteAllCookies();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    /** Opens the console with its token, as a first visit does, and waits for the first page of keys. */
    private void openConsole() {
        browser.get(url("/_console?token=" + TOKEN));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-label"), "page 1"));
    }

    /** The keys shown, read in one script run so a re-render cannot happen halfway. */
    @SuppressWarnings("unchecked")
    private List<String> listedKeys() {
        return (List<String>) browser.executeScript(
                "return Array.from(document.querySelectorAll('#rows button.key'), b => b.textContent);");
    }

    private void filter(String pattern) {
        WebElement box = browser.findElement(By.id("pattern"));
        box.clear();
        box.sendKeys(pattern);
        browser.findElement(By.cssSelector("#search button")).click();
    }

    @Test
    void theTokenFlowRefusesWithoutAndShowsThePageWith() {
        browser.get(url("/_console"));
        assertThat(browser.getPageSource()).contains("the console needs its token");
        browser.get(url("/_console?token=wrong"));
        assertThat(browser.getPageSource()).contains("the console needs its token");
        openConsole();
        assertThat(browser.getCurrentUrl()).as("the token leaves the address bar").isEqualTo(url("/_console"));
        assertThat(browser.getTitle()).isEqualTo("fncache console: " + name);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("backend"), "memory:"));
        assertThat(browser.manage().getCookieNamed("fncache_console").isHttpOnly()).isTrue();
        browser.findElement(By.id("logout")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Logged out"));
        browser.get(url("/_console"));
        assertThat(browser.getPageSource()).as("the session ended").contains("the console needs its token");
    }

    @Test
    void listsAndFilters2500KeysAcrossPages() {
        Map<String, Object> calls = new LinkedHashMap<>();
        for (int i = 0; i < 2_500; i++) {
            calls.put(String.format("call:%04d", i), Map.of("n", i));
        }
        cache.setMany(calls, 600);
        cache.setMany(Map.of("user:1", "a", "user:2", "b"), 600);
        openConsole();
        List<String> seen = new ArrayList<>(listedKeys());
        assertThat(seen).hasSize(50).startsWith("call:0000");
        for (int page = 2; page <= 50; page++) {
            String label = "page " + page;
            browser.findElement(By.id("next")).click();
            waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-label"), label));
            waiting().until(driver -> !listedKeys().isEmpty() && !seen.contains(listedKeys().get(0)));
            seen.addAll(listedKeys());
        }
        assertThat(seen).hasSize(2_500).doesNotHaveDuplicates().isSorted();
        browser.findElement(By.id("next")).click();
        waiting().until(driver -> listedKeys().equals(List.of("user:1", "user:2")));
        assertThat(browser.findElement(By.id("next")).isEnabled()).isFalse();

        filter("user:*");
        waiting().until(driver -> listedKeys().equals(List.of("user:1", "user:2")));
        filter("call:24[5-9]?");
        waiting().until(driver -> listedKeys().size() == 50 && listedKeys().get(0).equals("call:2450"));
        assertThat(browser.findElement(By.id("next")).isEnabled()).isFalse();
    }

    @Test
    void aTtlCountsDownLiveAndTheKeyDisappearsWhenItExpires() {
        cache.set("otp:+4670", 123456, 4);
        cache.set("session:long", "stays", 600);
        openConsole();
        By otpTtl = By.xpath("//tr[@data-key='otp:+4670']/td[@class='ttl']");
        String first = waiting().until(ExpectedConditions.visibilityOfElementLocated(otpTtl)).getText();
        waiting().until(driver -> !driver.findElement(otpTtl).getText().equals(first));
        assertThat(Integer.parseInt(browser.findElement(otpTtl).getText().replace("s", "")))
                .isLessThan(Integer.parseInt(first.replace("s", "")));
        new WebDriverWait(browser, Duration.ofSeconds(8)).until(driver -> !listedKeys().contains("otp:+4670"));
        assertThat(listedKeys()).containsExactly("session:long");
    }

    @Test
    void anEditedValueIsWhatTheCacheReturns() {
        cache.set("session:CA1", Map.of("caller", "+4670"), 600);
        openConsole();
        browser.findElement(By.cssSelector("tr[data-key='session:CA1'] button.key")).click();
        WebElement value = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("value")));
        waiting().until(driver -> value.getAttribute("value").contains("+4670"));
        value.clear();
        value.sendKeys("{\"caller\": \"+4670\", \"state\": ");
        browser.findElement(By.id("save")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("value-error"), "Not valid JSON"));
        assertThat(cache.get("session:CA1", new dev.fncache.TypeRef<Map<String, String>>() { })).isEqualTo(Map.of("caller", "+4670"));

        value.sendKeys("\"answered\"}");
        WebElement ttl = browser.findElement(By.id("ttl"));
        ttl.clear();
        ttl.sendKeys("120");
        browser.findElement(By.id("save")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "saved session:CA1"));
        assertThat(cache.get("session:CA1", new dev.fncache.TypeRef<Map<String, String>>() { })).isEqualTo(Map.of("caller", "+4670", "state", "answered"));
        assertThat(cache.ttl("session:CA1")).isBetween(Duration.ofSeconds(110), Duration.ofSeconds(120));
    }

    @Test
    void deleteAndPurgeAskFirstAndDoOnlyWhenConfirmed() {
        cache.setMany(Map.of("tmp:1", 1, "tmp:2", 2, "tmp:3", 3, "keep", 0), 600);
        openConsole();
        browser.findElement(By.cssSelector("tr[data-key='keep'] button.key")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("delete"))).click();
        Alert askDelete = waiting().until(ExpectedConditions.alertIsPresent());
        assertThat(askDelete.getText()).isEqualTo("Delete keep?");
        askDelete.dismiss();
        assertThat(cache.has("keep")).isTrue();
        browser.findElement(By.id("delete")).click();
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "deleted keep"));
        assertThat(cache.has("keep")).isFalse();

        browser.findElement(By.id("purge-pattern")).sendKeys("tmp:*");
        browser.findElement(By.cssSelector("#purge button")).click();
        Alert askPurge = waiting().until(ExpectedConditions.alertIsPresent());
        assertThat(askPurge.getText()).isEqualTo("Delete 3 keys matching tmp:*?");
        askPurge.dismiss();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "nothing purged"));
        assertThat(cache.keys("tmp:*")).hasSize(3);
        browser.findElement(By.cssSelector("#purge button")).click();
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "purged 3 keys matching tmp:*"));
        assertThat(cache.keys()).isEmpty();
        waiting().until(driver -> listedKeys().isEmpty());
    }

    @Test
    void aValueOrKeyThatLooksLikeHtmlIsShownAsTextAndNoScriptRuns() {
        String attack = "<img src=x onerror=alert(1)>";
        cache.set("xss:value", attack, 600);
        cache.set("<b>xss:key</b>", "<script>alert(2)</script>", 600);
        openConsole();
        waiting().until(driver -> listedKeys().size() == 2);
        assertThat(listedKeys()).containsExactly("<b>xss:key</b>", "xss:value");
        assertThat(browser.findElement(By.cssSelector("tr[data-key='xss:value'] td.preview")).getText())
                .isEqualTo("\"" + attack + "\"");
        browser.findElement(By.cssSelector("tr[data-key='xss:value'] button.key")).click();
        WebElement value = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("value")));
        waiting().until(driver -> value.getAttribute("value").contains("onerror"));
        assertThat(browser.findElements(By.cssSelector("#rows img, #detail img, #rows b, #rows script"))).isEmpty();
        try {
            browser.switchTo().alert();
            throw new AssertionError("a script ran: an alert is open");
        } catch (NoAlertPresentException expected) {
            // no script ran
        }
    }

    @Test
    void theKeyboardAloneFiltersOpensAndDeletes() {
        cache.setMany(Map.of("call:1", 1, "user:1", 2), 600);
        openConsole();
        waiting().until(driver -> listedKeys().size() == 2);
        browser.findElement(By.tagName("body")).sendKeys("/");
        WebElement pattern = browser.switchTo().activeElement();
        assertThat(pattern.getAttribute("id")).isEqualTo("pattern");
        pattern.sendKeys(Keys.chord(Keys.CONTROL, "a"), "user:*", Keys.ENTER);
        waiting().until(driver -> listedKeys().equals(List.of("user:1")));
        browser.findElement(By.cssSelector("tr[data-key='user:1'] button.key")).sendKeys(Keys.ENTER);
        waiting().until(driver -> driver.switchTo().activeElement().getAttribute("id").equals("value"));
        browser.findElement(By.id("delete")).sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "deleted user:1"));
        assertThat(cache.has("user:1")).isFalse();
    }

    @Test
    void onAPhonesWidthNothingScrollsSideways() {
        cache.set("session:" + "CA".repeat(30), Map.of("callerNumber", "+46701234567", "notes", "x".repeat(200)), 600);
        Dimension desktop = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new Dimension(390, 844));
            openConsole();
            waiting().until(driver -> listedKeys().size() == 1);
            browser.findElement(By.cssSelector("#rows button.key")).click();
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("value")));
            Number overflow = (Number) browser.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow.intValue()).as("sideways scroll in pixels").isLessThanOrEqualTo(0);
            assertThat(browser.findElement(By.id("save")).isDisplayed()).isTrue();
        } finally {
            browser.manage().window().setSize(desktop);
        }
    }
}
