package dev.fncache.sqlite;

import dev.fncache.spi.CacheUrl;
import dev.fncache.support.MessageText;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A parsed {@code sqlite:PATH[?synchronous=full|normal][&busyTimeout=MILLIS]} URL.
 *
 * @param file              the database file, absolute
 * @param synchronous       {@code FULL}: durable once a write returns; {@code NORMAL}: survives a
 *                          process crash, not a power cut
 * @param busyTimeoutMillis how long a write waits for another process's write lock
 */
record SqliteLocation(Path file, Synchronous synchronous, int busyTimeoutMillis) {
    static final int DEFAULT_BUSY_TIMEOUT_MILLIS = 5_000;
    static final int MAX_BUSY_TIMEOUT_MILLIS = 600_000;

    enum Synchronous { FULL, NORMAL }

    static SqliteLocation parse(CacheUrl url) {
        String rest = url.rest();
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        if (path.isBlank()) {
            throw invalid(url, "PATH must name a file");
        }
        if (path.startsWith("//") && !path.startsWith("///")) {
            String host = path.substring(2).split("/", 2)[0];
            throw invalid(url, "'//" + MessageText.truncated(host) + "' reads as a host, and a SQLite file has none; write "
                    + "sqlite:" + MessageText.truncated(path.substring(2)) + " for a path under the working directory, or "
                    + "sqlite:/" + MessageText.truncated(path.substring(2)) + " for an absolute one");
        }
        Path file;
        try {
            file = Path.of(path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw invalid(url, "PATH is not a valid file name (" + e.getReason() + ")");
        }
        Synchronous synchronous = Synchronous.FULL;
        int busyTimeout = DEFAULT_BUSY_TIMEOUT_MILLIS;
        if (query >= 0) {
            for (String option : rest.substring(query + 1).split("&")) {
                int equals = option.indexOf('=');
                String name = equals < 0 ? option : option.substring(0, equals);
                String value = equals < 0 ? "" : option.substring(equals + 1);
                switch (name) {
                    case "synchronous" -> synchronous = parseSynchronous(url, value);
                    case "busyTimeout" -> busyTimeout = parseBusyTimeout(url, value);
                    default -> throw invalid(url, "option " + MessageText.quoted(name)
                            + " is unknown; the options are synchronous=full|normal and busyTimeout=MILLIS");
                }
            }
        }
        return new SqliteLocation(file, synchronous, busyTimeout);
    }

    private static Synchronous parseSynchronous(CacheUrl url, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "full" -> Synchronous.FULL;
            case "normal" -> Synchronous.NORMAL;
            default -> throw invalid(url, "synchronous must be full or normal, but was " + MessageText.quoted(value));
        };
    }

    private static int parseBusyTimeout(CacheUrl url, String value) {
        try {
            int millis = Integer.parseInt(value);
            if (millis >= 0 && millis <= MAX_BUSY_TIMEOUT_MILLIS) {
                return millis;
            }
        } catch (NumberFormatException notANumber) {
            // reported below with the rule
        }
        throw invalid(url, "busyTimeout must be milliseconds between 0 and " + MAX_BUSY_TIMEOUT_MILLIS
                + ", but was " + MessageText.quoted(value));
    }

    private static IllegalArgumentException invalid(CacheUrl url, String rule) {
        return new IllegalArgumentException("url must be sqlite:PATH[?synchronous=full|normal][&busyTimeout=MILLIS]: "
                + rule + " (url was " + MessageText.quoted(url.toString()) + ")");
    }

    /** The options as a URL's query gives them. */
    String options() {
        return "synchronous=" + synchronous.name().toLowerCase(Locale.ROOT) + "&busyTimeout=" + busyTimeoutMillis;
    }

    @Override
    public String toString() {
        return "sqlite:" + file;
    }
}
