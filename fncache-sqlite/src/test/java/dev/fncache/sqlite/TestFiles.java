package dev.fncache.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary directories for test databases, left under target/ for inspection after a failure. */
final class TestFiles {
    private TestFiles() {
    }

    static Path newDirectory(String prefix) {
        try {
            Path target = Path.of("target", "test-databases");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, prefix + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
