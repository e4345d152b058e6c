package dev.fncache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README and the pages beside it honest: every Java block in README.md, docs/*.md and
 * fncache-bench/README.md must be, line for line, a region marked {@code // README: name} ...
 * {@code // README: end} in this module's compiled sources.
 */
class ReadmeExamplesTest {
    private static final Path README = Path.of(System.getProperty("fncache.readme", "../README.md"));
    private static final Path ROOT = README.toAbsolutePath().getParent();
    private static final Path SOURCES = Path.of(System.getProperty("fncache.exampleSources", "src/main/java"));
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile("// README: (?!end)[^\\n]*\\n(.*?)\\n\\s*// README: end",
            Pattern.DOTALL);

    @Test
    void everyJavaBlockInTheReadmeIsCompiledExampleCode() throws IOException {
        List<String> regions = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(SOURCES)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher region = REGION.matcher(Files.readString(source));
                while (region.find()) {
                    regions.add(dedent(region.group(1)));
                }
            }
        }
        int blocks = 0;
        for (Path page : pages()) {
            Matcher block = JAVA_BLOCK.matcher(Files.readString(page));
            int inPage = 0;
            while (block.find()) {
                blocks++;
                inPage++;
                assertThat(regions).as("Java block %d of %s must be a marked region of fncache-examples", inPage,
                        ROOT.relativize(page.toAbsolutePath())).contains(dedent(block.group(1)));
            }
        }
        assertThat(blocks).isGreaterThanOrEqualTo(8);
    }

    /** README.md, every page under docs/, and the benchmarks' README. */
    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README, ROOT.resolve("fncache-bench/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void ownJavalinApplicationServesItsRouteHealthAndMetrics() throws Exception {
        io.javalin.Javalin app = OwnJavalinApplication.start("memory:own-app-" + UUID.randomUUID(), 0);
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
                try {
                    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                            + app.port() + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(get.apply("/orders/7").body()).isEqualTo("order 7");
            assertThat(get.apply("/orders/7").headers().firstValue("X-Request-Id")).isPresent();
            assertThat(get.apply("/health").statusCode()).isEqualTo(200);
            assertThat(get.apply("/metrics").body()).contains("uri=\"/orders/{id}\"")
                    .contains("cache_gets_total{backend=\"memory\",cache=\"orders\",result=\"hit\"} 1.0");
        } finally {
            app.stop();
        }
    }

    @Test
    void apiTourRunsAsWritten() {
        try (FunctionCache cache = FunctionCaches.open("memory:tour-" + UUID.randomUUID(), "voice-ivr")) {
            ApiTour.tour(cache);
        }
    }

    @Test
    void jcacheExampleCountsEachCall() {
        String url = "memory:jcache-example-" + UUID.randomUUID();
        assertThat(JCacheCounters.countCall(url, "+15551234567")).isEqualTo(1L);
        assertThat(JCacheCounters.countCall(url, "+15551234567")).isEqualTo(2L);
        assertThat(JCacheCounters.countCall(url, "+15557654321")).isEqualTo(1L);
    }

    @Test
    void bulkExampleRunsAsWritten() {
        try (FunctionCache cache = FunctionCaches.open("memory:bulk-" + UUID.randomUUID(), "voice-ivr")) {
            assertThat(ApiTour.bulk(cache)).containsExactly("call:CA1", "call:CA2");
        }
    }

    @Test
    void metricsExampleCountsAHitAndAMiss() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (FunctionCache cache = ApiTour.withMetrics(registry)) {
            cache.set("k", 1);
            cache.get("k", Integer.class);
            cache.get("absent", Integer.class);
        }
        assertThat(registry.get("cache.gets").tag("result", "hit").counter().count()).isEqualTo(1);
        assertThat(registry.get("cache.gets").tag("result", "miss").counter().count()).isEqualTo(1);
    }

    @Test
    void manyInstancesExampleRunsAsWritten() {
        try (FunctionCache cache = FunctionCaches.open("memory:tour-" + UUID.randomUUID(), "voice-ivr")) {
            ApiTour.manyInstances(cache);
        }
    }

    @Test
    void openingExamplesOpenEveryBackendOnTheClassPath() {
        ApiTour.opening(Clock.systemUTC());
    }

    private static String dedent(String code) {
        List<String> lines = code.strip().isEmpty() ? List.of() : List.of(code.replace("\t", "    ").split("\n"));
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
                .collect(Collectors.joining("\n")).strip();
    }
}
