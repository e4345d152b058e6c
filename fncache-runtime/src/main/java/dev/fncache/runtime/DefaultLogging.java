package dev.fncache.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The function server's logging when the application configures none: INFO and above to
 * standard output, each line with the request's id ({@code [%X{requestId}]}), so the start line
 * and the cause of every 500 are there without set-up. Logback runs every configurator found as a
 * service before its own file lookup, whatever their ranks, so this one steps aside by itself
 * when the application has a configuration of its own: a {@code logback.xml} or
 * {@code logback-test.xml} on the class path, or {@code -Dlogback.configurationFile}.
 */
@ConfiguratorRank(ConfiguratorRank.FALLBACK + 5)
public final class DefaultLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%X{requestId:-}] %logger{30} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (applicationConfiguresLogging()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("fncache-console");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static boolean applicationConfiguresLogging() {
        ClassLoader loader = DefaultLogging.class.getClassLoader();
        ClassLoader resources = loader == null ? ClassLoader.getSystemClassLoader() : loader;
        return System.getProperty("logback.configurationFile") != null || resources.getResource("logback-test.xml") != null
                || resources.getResource("logback.xml") != null;
    }
}
