/**
 * fncache's SQLite backend: found by {@code FunctionCaches.open("sqlite:...")} through the
 * {@link dev.fncache.spi.CacheBackend} service; nothing else is exported.
 */
module dev.fncache.sqlite {
    requires dev.fncache.core;
    requires java.sql;
    requires org.xerial.sqlitejdbc;
    requires org.slf4j;
    requires static org.jspecify;

    provides dev.fncache.spi.CacheBackend with dev.fncache.sqlite.SqliteBackend;
}
