package dev.antler.billing;

import dev.antler.store.Database;
import dev.antler.store.StatementSource;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * This writer's row in {@code ledger_writers}. Every batch stamps its sequence number there in its own
 * transaction, so after a failed commit the writer can ask the store whether the commit happened anyway
 * before writing the batch again; a write of the row alone probes whether the store accepts writes.
 */
final class WriterMark {

    private final Database database;
    private final String writerId = UUID.randomUUID().toString();

    WriterMark(Database database, long now) {
        this.database = database;
        database.jdbi().useHandle(h -> h.createUpdate(
                        "INSERT INTO ledger_writers (writer_id, last_batch, updated_at) VALUES (:id, 0, :now)")
                .bind("id", writerId).bind("now", now).execute());
    }

    String writerId() {
        return writerId;
    }

    /** Inside a batch's transaction: records that batch {@code batch} is in it. */
    void stamp(StatementSource statements, long batch, long now) {
        try {
            PreparedStatement update = statements.prepare(
                    "UPDATE ledger_writers SET last_batch = ?, updated_at = ? WHERE writer_id = ?");
            update.setLong(1, batch);
            update.setLong(2, now);
            update.setString(3, writerId);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("ledger_writers: no row for writer " + writerId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger_writers: stamp of batch " + batch + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether batch {@code batch} committed; throws while the store cannot answer. */
    boolean committed(long batch) {
        return database.jdbi().withHandle(h -> lastBatch(h, writerId)) >= batch;
    }

    /** Whether the store commits a write now: a row update in a transaction of its own. */
    boolean storeWrites(long now) {
        try {
            database.jdbi().useTransaction(h -> h.createUpdate(
                            "UPDATE ledger_writers SET updated_at = :now WHERE writer_id = :id")
                    .bind("now", now).bind("id", writerId).execute());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The last batch {@code writerId} committed; 0 for a writer the store does not know. */
    static long lastBatch(Handle handle, String writerId) {
        return handle.createQuery("SELECT last_batch FROM ledger_writers WHERE writer_id = :id")
                .bind("id", writerId).mapTo(Long.class).findOne().orElse(0L);
    }
}
