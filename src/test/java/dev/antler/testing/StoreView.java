package dev.antler.testing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads what the gateway wrote to its store, by user name: balances, ledger rows and usage rows.
 * Wait for a request's row first ({@link #onlyUsage}, {@link #awaitUsage}, {@link #awaitRequest});
 * balances and ledger rows are written in the same transaction.
 */
public final class StoreView {

    private final GatewayHarness gateway;
    private final Jdbi jdbi;

    public StoreView(GatewayHarness gateway) {
        this.gateway = gateway;
        this.jdbi = gateway.gateway().database().jdbi();
    }

    /** One row of usage_logs. */
    public record UsageRow(String requestId, String endpoint, String model, String upstreamModel, Long channelId,
                           int statusCode, boolean stream, long promptTokens, long completionTokens,
                           long cachedTokens, long units, long costNanos, long latencyMs, Long firstByteMs,
                           String endReason, String billedBasis, int attempts, String error) {}

    public long balance(String user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT balance_nanos FROM users WHERE name = :name")
                .bind("name", user).mapTo(Long.class).one());
    }

    public long used(String user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT used_nanos FROM users WHERE name = :name")
                .bind("name", user).mapTo(Long.class).one());
    }

    public long ledgerSum(String user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(l.amount_nanos), 0) FROM ledger l "
                        + "JOIN users u ON u.id = l.user_id WHERE u.name = :name")
                .bind("name", user).mapTo(Long.class).one());
    }

    /** The amounts of the user's ledger rows of {@code kind}, oldest first. */
    public List<Long> ledger(String user, String kind) {
        return jdbi.withHandle(h -> h.createQuery("SELECT l.amount_nanos FROM ledger l JOIN users u "
                        + "ON u.id = l.user_id WHERE u.name = :name AND l.kind = :kind ORDER BY l.id")
                .bind("name", user).bind("kind", kind).mapTo(Long.class).list());
    }

    public long channelId(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM channels WHERE name = :name")
                .bind("name", name).mapTo(Long.class).one());
    }

    /** The channel's stored status ({@code active} or {@code disabled}) and its reason. */
    public record ChannelStatus(String status, String reason) {}

    public ChannelStatus channelStatus(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status, status_reason FROM channels WHERE name = :name")
                .bind("name", name).map((rs, ctx) -> new ChannelStatus(rs.getString(1), rs.getString(2))).one());
    }

    /** The attempt log (a JSON array) of the user's usage rows, oldest first. */
    public List<String> attemptLogs(String user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT l.attempt_log FROM usage_logs l JOIN users u "
                        + "ON u.id = l.user_id WHERE u.name = :name ORDER BY l.id")
                .bind("name", user).mapTo(String.class).list());
    }

    public List<UsageRow> usage(String user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT l.* FROM usage_logs l JOIN users u ON u.id = l.user_id "
                        + "WHERE u.name = :name ORDER BY l.id")
                .bind("name", user).map((rs, ctx) -> row(rs)).list());
    }

    /** The user's single usage row, once written; fails if there is not exactly one. */
    public UsageRow onlyUsage(String user) {
        List<UsageRow> rows = awaitUsage(user, 1);
        if (rows.size() != 1) {
            throw new AssertionError("usage rows of " + user + ": " + rows + " (expected: exactly 1)");
        }
        return rows.get(0);
    }

    /**
     * Waits (up to 10 s) until the user has {@code count} usage rows, and returns them. A request is
     * settled when its upstream answer ends, which may be just after the client has read the last byte
     * of a body of known length, so a test waits for the row rather than only for the ledger writer.
     */
    public List<UsageRow> awaitUsage(String user, int count) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            gateway.awaitLedger();
            List<UsageRow> rows = usage(user);
            if (rows.size() >= count || System.nanoTime() > deadline) {
                return rows;
            }
            pause();
        }
    }

    /** The cache-write tokens of a request's usage row (Anthropic prompt caching). */
    public long cacheWriteTokens(String requestId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT cache_write_tokens FROM usage_logs WHERE request_id = :id")
                .bind("id", requestId).mapTo(Long.class).one());
    }

    /** Waits (up to 10 s) until the request's usage row is written, and returns it. */
    public UsageRow awaitRequest(String requestId) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            gateway.awaitLedger();
            List<UsageRow> rows = jdbi.withHandle(h -> h.createQuery(
                            "SELECT * FROM usage_logs WHERE request_id = :id")
                    .bind("id", requestId).map((rs, ctx) -> row(rs)).list());
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("usage row of request " + requestId + ": none within 10 s");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static UsageRow row(ResultSet rs) throws SQLException {
        long channel = rs.getLong("channel_id");
        Long channelId = rs.wasNull() ? null : channel;
        long firstByte = rs.getLong("first_byte_ms");
        Long firstByteMs = rs.wasNull() ? null : firstByte;
        return new UsageRow(rs.getString("request_id"), rs.getString("endpoint"), rs.getString("model"),
                rs.getString("upstream_model"), channelId, rs.getInt("status_code"), rs.getInt("stream") != 0,
                rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"), rs.getLong("cached_tokens"),
                rs.getLong("units"), rs.getLong("cost_nanos"), rs.getLong("latency_ms"), firstByteMs,
                rs.getString("end_reason"), rs.getString("billed_basis"), rs.getInt("attempts"),
                rs.getString("error"));
    }
}
