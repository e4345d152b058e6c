package dev.fncache.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison command starts and writes its summary (regression: a refactoring once dropped its main method). */
class CompareTest {
    @TempDir
    Path directory;

    @Test
    void theCommandRunsTheRowsItIsGivenAndWritesASummaryNamingItsFilterAndTheLoadBeforeIt() throws Exception {
        Path results = directory.resolve("results");
        Compare.main(new String[] {"--quick", "--only", "no row has this name", "--results", results.toString(), "--data",
                directory.resolve("data").toString()});
        List<String> names;
        try (Stream<Path> written = Files.list(results)) {
            names = written.map(p -> p.getFileName().toString()).toList();
        }
        assertTrue(names.stream().anyMatch(name -> name.startsWith("summary-") && name.endsWith("-quick.md")), names::toString);
        assertTrue(names.stream().anyMatch(name -> name.startsWith("jmh-") && name.endsWith("-quick.json")), names::toString);
        String summary = names.stream().filter(n -> n.startsWith("summary-")).findFirst().orElseThrow();
        String firstLine = Files.readAllLines(results.resolve(summary)).get(0);
        assertTrue(firstLine.contains("(--only \"no row has this name\")"), firstLine);
        assertTrue(firstLine.matches(".*, load average before the run [0-9.]+ / [0-9.]+ / [0-9.]+$"), firstLine);
    }
}
