package dev.fncache.memory;

import dev.fncache.spi.CacheBackend;
import dev.fncache.spi.CacheStore;
import dev.fncache.support.MessageText;
import dev.fncache.spi.StoreConfig;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code memory:} and {@code memory:NAME} backend: entries live in this JVM and are lost on
 * restart. Every cache opened with the same URL in one JVM shares the same data.
 */
public final class MemoryBackend implements CacheBackend {
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    @Override
    public CacheStore open(StoreConfig config) {
        String name = config.url().rest();
        int query = name.indexOf('?');
        if (query >= 0) {
            String option = name.substring(query + 1).split("[=&]", 2)[0];
            throw new IllegalArgumentException("url option " + MessageText.quoted(option) + " is unknown; memory: takes no "
                    + "options (url was " + MessageText.quoted(config.url().toString()) + ")");
        }
        if (name.isEmpty()) {
            name = "default";
        } else if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("url must be 'memory:' or 'memory:NAME' with NAME 1 to 64 of "
                    + "A-Z a-z 0-9 . _ -, but was " + MessageText.quoted(config.url().toString()));
        }
        return new MemoryStore(MemoryDatabases.namespace(name, config.namespace(), config.housekeeping()), config.clock());
    }
}
