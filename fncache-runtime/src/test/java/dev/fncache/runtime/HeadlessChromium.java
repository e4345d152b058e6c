package dev.fncache.runtime;

import dev.fncache.tck.RequiredTool;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium} and {@code chromium-driver}, headless, for the console's browser
 * tests. Without them a test skips with a loud message, and fails when
 * {@code FNCACHE_REQUIRE_BROWSER=true} (as in CI).
 */
public final class HeadlessChromium {
    public static final String REQUIRED_VARIABLE = "FNCACHE_REQUIRE_BROWSER";

    private HeadlessChromium() {
    }

    /** A headless Chromium at 1280x900, or the calling test skipped (or failed in CI). */
    public static ChromeDriver start() {
        Path browser = find(List.of("chromium", "chromium-browser", "google-chrome"));
        Path driver = find(List.of("chromedriver"));
        RequiredTool.require(browser != null && driver != null, "chromium or chromedriver",
                "apt-get install chromium chromium-driver", REQUIRED_VARIABLE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static Path find(List<String> names) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
