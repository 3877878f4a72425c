package dev.antler.console;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.ApiKeys;
import dev.antler.store.Database;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Invitations to sign up: a random token (shown once, in the link) that lets one person create an account in the
 * invite's group. Only the token's SHA-256 is stored. Blocking: call off the event loop.
 */
public final class InviteStore {

    private static final String COLUMNS = "id, group_name, status, expires_at, used_by, used_at, created_at";

    private final Jdbi jdbi;
    private final Clock clock;

    public InviteStore(Database database, Clock clock) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
    }

    /** status: active, used or revoked. */
    public record Invite(long id, String group, String status, Long expiresAt, Long usedBy, Long usedAt,
                         long createdAt) {}

    public record Created(Invite invite, String token) {}

    public Created create(String group, Long expiresAt) {
        String token = SessionStore.token();
        long now = clock.millis();
        long id = jdbi.withHandle(h -> h.createUpdate("INSERT INTO invites (token_hash, group_name, status, expires_at, "
                        + "created_at) VALUES (:hash, :group, 'active', :expires, :now)")
                .bind("hash", ApiKeys.hash(token)).bind("group", group).bind("expires", expiresAt).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return new Created(new Invite(id, group, "active", expiresAt, null, null, now), token);
    }

    public List<Invite> list(int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM invites ORDER BY id DESC "
                        + "LIMIT :limit OFFSET :offset").bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> invite(rs)).list());
    }

    /** Active to revoked; false when it was not active. */
    public boolean revoke(long id) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE invites SET status = 'revoked' WHERE id = :id AND status = 'active'")
                .bind("id", id).execute()) == 1;
    }

    /** The active, unexpired invite with this token, claimed (status used) by this call only; empty otherwise. */
    public Optional<Invite> claim(String token) {
        long now = clock.millis();
        String hash = ApiKeys.hash(token);
        return jdbi.inTransaction(h -> {
            Optional<Invite> found = h.createQuery("SELECT " + COLUMNS + " FROM invites WHERE token_hash = :hash")
                    .bind("hash", hash).map((rs, ctx) -> invite(rs)).findOne();
            if (found.isEmpty()) {
                return found;
            }
            int claimed = h.createUpdate("UPDATE invites SET status = 'used', used_at = :now WHERE id = :id "
                            + "AND status = 'active' AND (expires_at IS NULL OR expires_at > :now)")
                    .bind("id", found.get().id()).bind("now", now).execute();
            return claimed == 1 ? found : Optional.empty();
        });
    }

    /** Records the account a claimed invite created. */
    public void usedBy(long id, long userId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE invites SET used_by = :user WHERE id = :id")
                .bind("user", userId).bind("id", id).execute());
    }

    /** Gives a claimed invite back (the account could not be created, e.g. the name was taken). */
    public void release(long id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE invites SET status = 'active', used_at = NULL WHERE id = :id "
                + "AND status = 'used' AND used_by IS NULL").bind("id", id).execute());
    }

    private static Invite invite(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Invite(rs.getLong(1), rs.getString(2), rs.getString(3), nullableLong(rs, 4),
                nullableLong(rs, 5), nullableLong(rs, 6), rs.getLong(7));
    }

    private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
