package dev.antler.cluster;

import dev.antler.billing.StoredHolds.Balance;
import dev.antler.core.GatewayException;
import dev.antler.store.StatementSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What Redis mirrors of a user's stored balance: the balance less the user's holds kept in the store (taken while
 * holds were not in Redis, or moved there from Redis), with the balance's version. Read in one query, so the two
 * agree.
 */
final class MirroredBalances {

    private static final String SELECT = "SELECT u.id, u.balance_nanos - (SELECT COALESCE(SUM(h.user_nanos), 0) "
            + "FROM cluster_holds h WHERE h.user_id = u.id), u.balance_version FROM users u WHERE u.id ";
    private static final int IDS_PER_QUERY = 32;

    private final Jdbi jdbi;

    MirroredBalances(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One user's, on a connection of its own. Blocking. */
    Balance read(long userId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + "= :id").bind("id", userId)
                .map((rows, ctx) -> new Balance(rows.getLong(2), rows.getLong(3))).findOne()
                .orElseThrow(() -> GatewayException.unauthorized("account: " + userId + " no longer exists")));
    }

    /** These users', inside the ledger transaction that just changed their balances. */
    static Map<Long, Balance> in(StatementSource source, Collection<Long> userIds) {
        Map<Long, Balance> balances = HashMap.newHashMap(userIds.size());
        long[] ids = userIds.stream().mapToLong(Long::longValue).toArray();
        if (ids.length == 0) {
            return balances;
        }
        try {
            // a power of two ids per query, the last one repeated as padding: few distinct statements to keep
            int perQuery = Math.min(IDS_PER_QUERY, Integer.highestOneBit(Math.max(1, ids.length * 2 - 1)));
            PreparedStatement query = source.prepare(SELECT + "IN (?" + ", ?".repeat(perQuery - 1) + ")");
            for (int start = 0; start < ids.length; start += perQuery) {
                for (int i = 0; i < perQuery; i++) {
                    query.setLong(i + 1, ids[Math.min(start + i, ids.length - 1)]);
                }
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        balances.put(rows.getLong(1), new Balance(rows.getLong(2), rows.getLong(3)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("users: balances for Redis not read back: " + e.getMessage(), e);
        }
        return balances;
    }
}
