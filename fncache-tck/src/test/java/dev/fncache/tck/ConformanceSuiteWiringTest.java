package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A contract class that is not a nested area of {@link ConformanceSuite} would run for no backend. */
class ConformanceSuiteWiringTest {

    @Test
    void everyContractClassIsANestedAreaOfTheSuite() throws Exception {
        List<Class<?>> contracts = contractClasses();
        assertThat(contracts).as("contract classes found").hasSizeGreaterThanOrEqualTo(11);
        List<Class<?>> wired = new ArrayList<>();
        for (Class<?> area : ConformanceSuite.class.getDeclaredClasses()) {
            if (area.isAnnotationPresent(Nested.class) && !Modifier.isStatic(area.getModifiers())) {
                wired.add(area.getSuperclass());
            }
        }
        assertThat(wired).as("contract classes wired into ConformanceSuite").containsExactlyInAnyOrderElementsOf(contracts);
    }

    /** Every abstract class of this package that extends {@link ContractSupport}, read from the compiled classes. */
    private static List<Class<?>> contractClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path directory = Path.of(ContractSupport.class.getResource("ContractSupport.class").toURI()).getParent();
        List<Class<?>> contracts = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                Class<?> type = Class.forName("dev.fncache.tck." + name.substring(0, name.length() - ".class".length()));
                if (type != ContractSupport.class && ContractSupport.class.isAssignableFrom(type)
                        && Modifier.isAbstract(type.getModifiers())) {
                    contracts.add(type);
                }
            }
        }
        return contracts;
    }
}
