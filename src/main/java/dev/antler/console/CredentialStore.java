package dev.antler.console;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Users' console sign-in: password hash and admin mark, by user id. Blocking: call off the event loop. */
public final class CredentialStore {

    private final Jdbi jdbi;
    private final Clock clock;

    public CredentialStore(Database database, Clock clock) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
    }

    /** @param passwordHash null when no password is set */
    public record Credential(long userId, String passwordHash, boolean admin) {}

    public Optional<Credential> find(long userId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT user_id, password_hash, is_admin FROM user_credentials WHERE user_id = :user")
                .bind("user", userId)
                .map((rs, ctx) -> new Credential(rs.getLong(1), rs.getString(2), rs.getInt(3) != 0)).findOne());
    }

    public boolean isAdmin(long userId) {
        return find(userId).map(Credential::admin).orElse(false);
    }

    /** Which of {@code userIds} are marked admin. */
    public Set<Long> adminsAmong(Collection<Long> userIds) {
        if (userIds.isEmpty()) {
            return Set.of();
        }
        // ids are numbers, so they can be spliced; a page holds at most a thousand
        String ids = userIds.stream().map(String::valueOf).collect(Collectors.joining(","));
        return new HashSet<>(jdbi.withHandle(h -> h.createQuery(
                        "SELECT user_id FROM user_credentials WHERE is_admin = 1 AND user_id IN (" + ids + ")")
                .mapTo(Long.class).list()));
    }

    public void setPassword(long userId, String passwordHash) {
        upsert(userId, "password_hash", passwordHash);
    }

    public void setAdmin(long userId, boolean admin) {
        upsert(userId, "is_admin", admin ? 1 : 0);
    }

    /** Sets one column, inserting the row first when the user has none; {@code column} is one of two fixed names. */
    private void upsert(long userId, String column, Object value) {
        try {
            jdbi.useTransaction(h -> {
                if (update(h, userId, column, value) == 0) {
                    h.createUpdate("INSERT INTO user_credentials (user_id, is_admin, updated_at) VALUES (:user, 0, :now)")
                            .bind("user", userId).bind("now", clock.millis()).execute();
                    update(h, userId, column, value);
                }
            });
        } catch (UnableToExecuteStatementException e) {
            // another call inserted the row between the update and the insert: it exists now
            jdbi.useHandle(h -> update(h, userId, column, value));
        }
    }

    private int update(Handle h, long userId, String column, Object value) {
        return h.createUpdate("UPDATE user_credentials SET " + column + " = :value, updated_at = :now WHERE user_id = :user")
                .bind("value", value).bind("user", userId).bind("now", clock.millis()).execute();
    }
}
