package dev.antler.billing;

import java.sql.SQLException;
import org.sqlite.SQLiteException;

/**
 * Tells a write the store rejected because of what was written (a constraint, a value out of range)
 * from a store that cannot write at all (disk full, I/O error, read-only file, lost connection). Only
 * the first kind may be set aside; the second is an outage, and everything waits for the store.
 */
final class StoreFailures {

    /** SQLite primary result codes of a rejected value: CONSTRAINT, MISMATCH, TOOBIG, RANGE. */
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_MISMATCH = 20;
    private static final int SQLITE_TOOBIG = 18;
    private static final int SQLITE_RANGE = 25;

    private StoreFailures() {}

    /**
     * Whether {@code failure} names the written values as the cause. Anything not recognised as such
     * counts as an outage: a wrong guess there only delays a write, a wrong guess here would drop it.
     */
    static boolean rejectsEntry(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EntryRejected) {
                return true;
            }
            if (cause instanceof SQLiteException sqlite) {
                int primary = sqlite.getResultCode().code & 0xff;
                return primary == SQLITE_CONSTRAINT || primary == SQLITE_MISMATCH || primary == SQLITE_TOOBIG
                        || primary == SQLITE_RANGE;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                // SQL standard classes: 22 data exception, 23 integrity constraint violation.
                String state = sql.getSQLState();
                return state.startsWith("22") || state.startsWith("23");
            }
        }
        return false;
    }
}
