package dev.fncache.sqlite;

import dev.fncache.CacheCheck;
import dev.fncache.spi.CacheBackend;
import dev.fncache.spi.CacheStore;
import dev.fncache.spi.StoreConfig;
import java.util.List;
import java.util.Set;

/**
 * The {@code sqlite:PATH} backend: a durable cache file in WAL mode, shared by every process on
 * this host that opens it. For many hosts, use Redis.
 */
public final class SqliteBackend implements CacheBackend {

    @Override
    public Set<String> schemes() {
        return Set.of("sqlite");
    }

    @Override
    public CacheStore open(StoreConfig config) {
        SqliteLocation location = SqliteLocation.parse(config.url());
        return new SqliteStore(SqliteDatabases.acquire(location, config.clock(), config.housekeeping()), config.namespace(), config.clock());
    }

    @Override
    public List<CacheCheck> checks(StoreConfig config) {
        return SqliteDoctor.check(config.url());
    }
}
