package dev.fncache.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison command starts and writes its summary (regression: a refactoring once dropped its main method). */
class CompareTest {
    @TempDir
    Path directory;

    @Test
    void theCommandRunsTheRowsItIsGivenAndWritesTheSummary() throws Exception {
        Path results = directory.resolve("results");
        Compare.main(new String[] {"--quick", "--only", "no row has this name", "--results", results.toString(), "--data",
                directory.resolve("data").toString()});
        try (Stream<Path> written = Files.list(results)) {
            assertThat(written.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("summary-") && name.endsWith("-quick.md"))
                    .anyMatch(name -> name.startsWith("jmh-") && name.endsWith("-quick.json"));
        }
    }
}
