package dev.antler.console;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.ApiKeys;
import dev.antler.store.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Redemption codes: an amount credited once to the first user who redeems the code. The plain code is shown once,
 * at creation; the store keeps its SHA-256 and a hint. Redeeming is a compare-and-set of the status from active to
 * redeemed, run by the ledger writer in the transaction that writes the credit ({@link #claim}), so a code pays
 * exactly once however many redeem it at the same moment. Blocking: call off the event loop.
 */
public final class RedemptionStore {

    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, code_hint, name, amount_nanos, status, expires_at, redeemed_by, "
            + "redeemed_at, created_at";

    private final Jdbi jdbi;
    private final Clock clock;

    public RedemptionStore(Database database, Clock clock) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
    }

    /** A code as stored; status is active, redeemed or disabled. */
    public record Code(long id, String hint, String name, long amountNanos, String status, Long expiresAt,
                       Long redeemedBy, Long redeemedAt, long createdAt) {}

    /** A created code with its plain text, to show once. */
    public record Created(Code code, String plain) {}

    /** {@code count} new codes of {@code amountNanos} each, in one transaction. */
    public List<Created> create(int count, long amountNanos, Long expiresAt, String name) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            List<Created> created = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String plain = generate();
                long id = h.createUpdate("INSERT INTO redemption_codes (code_hash, code_hint, name, amount_nanos, status, "
                                + "expires_at, created_at) VALUES (:hash, :hint, :name, :amount, 'active', :expires, :now)")
                        .bind("hash", ApiKeys.hash(plain)).bind("hint", ApiKeys.hint(plain)).bind("name", name)
                        .bind("amount", amountNanos).bind("expires", expiresAt).bind("now", now)
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                created.add(new Created(new Code(id, ApiKeys.hint(plain), name, amountNanos, "active", expiresAt, null,
                        null, now), plain));
            }
            return created;
        });
    }

    /** Newest first; {@code status} null for all. */
    public List<Code> list(String status, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM redemption_codes"
                        + (status == null ? "" : " WHERE status = :status") + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .bind("status", status).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> code(rs)).list());
    }

    public Optional<Code> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM redemption_codes WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> code(rs)).findOne());
    }

    /** The code with this plain text, if any. */
    public Optional<Code> findByCode(String plain) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM redemption_codes WHERE code_hash = :hash")
                .bind("hash", ApiKeys.hash(plain)).map((rs, ctx) -> code(rs)).findOne());
    }

    /** Active to disabled; false when the code was not active (redeemed codes stay redeemed). */
    public boolean disable(long id) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE redemption_codes SET status = 'disabled' WHERE id = :id AND status = 'active'")
                .bind("id", id).execute()) == 1;
    }

    /**
     * The guard of a redemption's credit, run in the ledger writer's transaction: marks the code redeemed by
     * {@code userId} if it is still active and unexpired. True exactly once per code.
     */
    public boolean claim(Handle h, long id, long userId, long now) {
        return h.createUpdate("UPDATE redemption_codes SET status = 'redeemed', redeemed_by = :user, redeemed_at = :now "
                        + "WHERE id = :id AND status = 'active' AND (expires_at IS NULL OR expires_at > :now)")
                .bind("user", userId).bind("now", now).bind("id", id).execute() == 1;
    }

    /** {@code XXXX-XXXX-XXXX-XXXX-XXXX-XXXX}: 24 characters from 32 unambiguous ones, 120 random bits. */
    static String generate() {
        StringBuilder out = new StringBuilder(29);
        for (int i = 0; i < 24; i++) {
            if (i > 0 && i % 4 == 0) {
                out.append('-');
            }
            out.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return out.toString();
    }

    private static Code code(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Code(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                nullableLong(rs, 6), nullableLong(rs, 7), nullableLong(rs, 8),
                rs.getLong(9));
    }

    private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
