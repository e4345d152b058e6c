package dev.fncache.spring;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSpringCacheTest extends SpringCacheContract {
    @TempDir
    static Path directory;

    @Override
    String url() {
        return "sqlite:" + directory.resolve("spring.db");
    }
}
