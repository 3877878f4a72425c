package dev.antler.admin;

import dev.antler.store.Database;
import java.util.List;

/** Reads a user's ledger rows, newest first. Blocking: call off the event loop. */
final class LedgerRows {

    private LedgerRows() {}

    record Row(long id, long amountNanos, String kind, String reference, String note, long createdAt) {}

    static List<Row> list(Database database, long userId, int limit, int offset) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id, amount_nanos, kind, reference, note, created_at FROM ledger WHERE user_id = :user "
                                + "ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .bind("user", userId).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6)))
                .list());
    }
}
