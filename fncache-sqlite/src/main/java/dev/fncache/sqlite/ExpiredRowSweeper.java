package dev.fncache.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired rows in small batches, each its own short transaction, so the file does not
 * grow with dead entries and no writer waits long behind a sweep. Readers never wait: WAL.
 */
final class ExpiredRowSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredRowSweeper.class);
    static final int BATCH_ROWS = 500;

    private static final String ANY_EXPIRED =
            "SELECT 1 FROM " + SqliteSchema.TABLE + " WHERE expires_at <= ? LIMIT 1";
    private static final String DELETE_EXPIRED_BATCH =
            "DELETE FROM " + SqliteSchema.TABLE + " WHERE (namespace, key) IN (SELECT namespace, key FROM "
                    + SqliteSchema.TABLE + " WHERE expires_at <= ? LIMIT " + BATCH_ROWS + ")";

    private static final String ANY_EXPIRED_LEASE =
            "SELECT 1 FROM " + SqliteSchema.LEASES + " WHERE expires_at <= ? LIMIT 1";
    private static final String DELETE_EXPIRED_LEASES =
            "DELETE FROM " + SqliteSchema.LEASES + " WHERE expires_at <= ?";

    private final SqliteDatabase database;

    ExpiredRowSweeper(SqliteDatabase database) {
        this.database = database;
    }

    /** Deletes every row expired now; returns how many. */
    int sweep() {
        long now = database.clocks.millis();
        boolean anyExpired = database.read("find expired entries", connection -> {
            PreparedStatement query = connection.prepare(ANY_EXPIRED);
            query.setLong(1, now);
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        });
        int deleted = 0;
        int batch = anyExpired ? BATCH_ROWS : 0;
        while (batch == BATCH_ROWS) {
            batch = database.write("delete expired entries", connection -> {
                PreparedStatement delete = connection.prepare(DELETE_EXPIRED_BATCH);
                delete.setLong(1, now);
                return delete.executeUpdate();
            });
            deleted += batch;
        }
        boolean anyExpiredLease = database.read("find expired leases", connection -> {
            PreparedStatement query = connection.prepare(ANY_EXPIRED_LEASE);
            query.setLong(1, now);
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        });
        if (anyExpiredLease) {
            database.write("delete expired leases", connection -> {
                PreparedStatement delete = connection.prepare(DELETE_EXPIRED_LEASES);
                delete.setLong(1, now);
                return delete.executeUpdate();
            });
        }
        return deleted;
    }

    void sweepQuietly() {
        database.checkFileIdentity();
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("sweeping expired entries of " + database.location + " failed; will retry", e);
        }
    }
}
