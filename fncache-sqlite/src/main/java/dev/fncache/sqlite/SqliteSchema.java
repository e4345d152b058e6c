package dev.fncache.sqlite;

import dev.fncache.CacheUnavailableException;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The file layout. The file is stamped with an application id and a schema version, so fncache
 * never writes into another program's database, and a later release can migrate an older file
 * while an older release refuses a newer one instead of damaging it.
 */
final class SqliteSchema {
    /** "fnca" in ASCII. */
    static final int APPLICATION_ID = 0x666e6361;
    static final int VERSION = 2;

    static final String TABLE = "fncache_entries";
    static final String LEASES = "fncache_leases";
    /** The version of a row that no version-2 writer has written yet. */
    static final String UNVERSIONED = "v1";

    private SqliteSchema() {
    }

    /**
     * Checks the file and creates the schema in a new or empty one. Runs inside the caller's
     * write transaction, so two processes opening a new file at once create it once.
     */
    static void verifyOrCreate(PreparedConnection connection, SqliteLocation location) throws SQLException {
        int applicationId = pragma(connection, "application_id");
        int version = pragma(connection, "user_version");
        if (applicationId == APPLICATION_ID) {
            if (version > VERSION) {
                throw refuse(location, "its schema version " + version + " was written by a newer fncache; this "
                        + "release reads version " + VERSION + ". Upgrade fncache, or point the URL at another file");
            }
            if (version == 1) {
                migrateFrom1(connection);
            }
            return;
        }
        if (countSchemaObjects(connection) > 0) {
            throw refuse(location, "it is a SQLite database of another application (application_id "
                    + applicationId + "); fncache writes only to its own files");
        }
        connection.execute("CREATE TABLE " + TABLE + " ("
                + "namespace TEXT NOT NULL, "
                + "key BLOB NOT NULL, "
                + "value BLOB NOT NULL, "
                + "expires_at INTEGER NOT NULL, "
                + "version TEXT, "
                + "PRIMARY KEY (namespace, key)) WITHOUT ROWID");
        connection.execute("CREATE INDEX " + TABLE + "_by_expiry ON " + TABLE + " (expires_at)");
        createLeases(connection);
        connection.execute("PRAGMA application_id = " + APPLICATION_ID);
        connection.execute("PRAGMA user_version = " + VERSION);
    }

    /**
     * Version 2 adds each entry's version (rows written before it have none, and read as version
     * {@link #UNVERSIONED} until their next write) and the getOrSet load leases. A release that
     * knows only version 1 refuses the file from then on, so no writer forgets a version.
     */
    private static void migrateFrom1(PreparedConnection connection) throws SQLException {
        connection.execute("ALTER TABLE " + TABLE + " ADD COLUMN version TEXT");
        createLeases(connection);
        connection.execute("PRAGMA user_version = " + VERSION);
    }

    private static void createLeases(PreparedConnection connection) throws SQLException {
        connection.execute("CREATE TABLE " + LEASES + " ("
                + "namespace TEXT NOT NULL, "
                + "key BLOB NOT NULL, "
                + "token TEXT NOT NULL, "
                + "expires_at INTEGER NOT NULL, "
                + "PRIMARY KEY (namespace, key)) WITHOUT ROWID");
    }

    private static int pragma(PreparedConnection connection, String name) throws SQLException {
        try (ResultSet result = connection.prepare("PRAGMA " + name).executeQuery()) {
            return result.next() ? result.getInt(1) : 0;
        }
    }

    private static int countSchemaObjects(PreparedConnection connection) throws SQLException {
        try (ResultSet result = connection.prepare("SELECT count(*) FROM sqlite_master").executeQuery()) {
            return result.next() ? result.getInt(1) : 0;
        }
    }

    private static CacheUnavailableException refuse(SqliteLocation location, String reason) {
        return SqliteFailures.unavailable(location, "open the cache file", reason + "; the file was left untouched",
                null);
    }
}
