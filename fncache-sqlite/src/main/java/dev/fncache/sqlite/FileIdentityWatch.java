package dev.fncache.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices the cache file being deleted or replaced by another file (its device and inode
 * changed) while open: SQLite would go on writing into the unlinked file, and processes opening
 * the path later would share nothing with this one. Checked by the sweeper every few seconds and
 * by writes at most once a second; once noticed, every call fails.
 */
final class FileIdentityWatch {
    private static final Logger LOG = LoggerFactory.getLogger(FileIdentityWatch.class);
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SqliteLocation location;
    /** The identity of the file opened, or null when the file system gives none. */
    private final Object fileKey;
    private volatile long checkedAtNanos = System.nanoTime();
    private volatile String lost;

    FileIdentityWatch(SqliteLocation location) {
        this.location = location;
        this.fileKey = currentFileKey();
    }

    /** Checks the file when the last check is more than a second old. */
    void checkIfDue() {
        if (System.nanoTime() - checkedAtNanos > CHECK_EVERY_NANOS) {
            check();
        }
    }

    void check() {
        checkedAtNanos = System.nanoTime();
        if (fileKey == null || lost != null) {
            return;
        }
        String noticed = null;
        try {
            Object current = currentFileKey();
            if (current == null) {
                noticed = "deleted";
            } else if (!current.equals(fileKey)) {
                noticed = "replaced by another file";
            }
        } catch (RuntimeException e) {
            return;
        }
        if (noticed != null) {
            lost = noticed;
            LOG.error(location + ": the cache file was " + noticed + " while open; every call fails from now on. Restart "
                    + "the process so that it opens the file at the path, as the other processes do.");
        }
    }

    /** What happened to the file ("deleted", "replaced by another file"), or null while it is the one open. */
    String lost() {
        return lost;
    }

    private Object currentFileKey() {
        try {
            return Files.readAttributes(location.file(), BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
