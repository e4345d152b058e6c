package dev.fncache.sqlite;

import dev.fncache.CacheUnavailableException;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The one place where SQLite's failures become {@link CacheUnavailableException}s naming the file. */
final class SqliteFailures {
    private SqliteFailures() {
    }

    static boolean isBusy(SQLException e) {
        SQLiteErrorCode code = primaryCode(e);
        return code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED;
    }

    static CacheUnavailableException unavailable(SqliteLocation location, String operation, SQLException e) {
        return new CacheUnavailableException(location + ": cannot " + operation + ": " + reason(location, e), e);
    }

    static CacheUnavailableException unavailable(SqliteLocation location, String operation, String reason,
            Throwable cause) {
        return new CacheUnavailableException(location + ": cannot " + operation + ": " + reason, cause);
    }

    private static String reason(SqliteLocation location, SQLException e) {
        SQLiteErrorCode code = primaryCode(e);
        String detail = " (" + e.getMessage() + ")";
        if (code == null) {
            return e.getMessage();
        }
        return switch (code) {
            case SQLITE_BUSY, SQLITE_LOCKED -> "another connection held the write lock for longer than the busy "
                    + "timeout of " + location.busyTimeoutMillis() + " ms" + detail;
            case SQLITE_NOTADB -> "the file is not a SQLite database; it was left untouched" + detail;
            case SQLITE_CORRUPT -> "the database file is corrupt" + detail;
            case SQLITE_CANTOPEN -> "the file cannot be opened or created" + detail;
            case SQLITE_READONLY -> "the file or its directory is read-only" + detail;
            case SQLITE_PERM, SQLITE_AUTH -> "permission denied" + detail;
            case SQLITE_FULL -> "the disk is full" + detail;
            case SQLITE_IOERR -> "an I/O error occurred" + detail;
            default -> e.getMessage();
        };
    }

    /** The primary result code: extended codes such as SQLITE_IOERR_FSYNC fold into SQLITE_IOERR. */
    private static SQLiteErrorCode primaryCode(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            return SQLiteErrorCode.getErrorCode(sqlite.getResultCode().code & 0xff);
        }
        return null;
    }
}
