package dev.fncache.sqlite;

import java.sql.SQLException;

/** Work against one connection, possibly failing in SQLite. */
@FunctionalInterface
interface SqlWork<T> {
    T apply(PreparedConnection connection) throws SQLException;
}
