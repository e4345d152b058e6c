package dev.fncache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The run uses the library versions its build manages: fncache's own, or, with
 * {@code -Pspring-boot-managed}, Spring Boot's (the POM passes the managed versions in).
 */
class LibraryVersionsTest {
    @Test
    void theLibrariesOnTheClassPathAreTheManagedVersions() throws Exception {
        Map<String, String> found = Map.of(
                "jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString(),
                "lettuce", io.lettuce.core.LettuceVersion.getVersion().split("/")[0], // "7.7.0.RELEASE/1960d49"
                "netty", io.netty.util.Version.identify().get("netty-common").artifactVersion(),
                "sqlite-jdbc", org.sqlite.SQLiteJDBCLoader.getVersion(),
                "micrometer", io.micrometer.core.instrument.MeterRegistry.class.getPackage().getImplementationVersion());
        System.out.println("fncache runs on " + found);
        for (String library : found.keySet()) {
            String managed = System.getProperty("fncache.managed." + library, "");
            if (!managed.isBlank() && !managed.startsWith("${")) {
                assertThat(found.get(library)).as(library).isEqualTo(managed);
            }
        }
        assertThat(System.getProperty("fncache.managed.lettuce")).as("the POM passes the managed versions in").isNotBlank();
    }
}
