package dev.antler.accounts;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import dev.antler.store.Lists;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Users, keys, groups and balance credits in the store. Blocking: call off the event loop. */
public final class AccountStore {

    private static final String USER_COLUMNS =
            "u.id, u.name, u.group_name, u.status, u.balance_nanos, u.used_nanos, u.request_count, u.created_at";
    private static final String KEY_COLUMNS = "k.id, k.user_id, k.name, k.key_hint, k.status, k.expires_at, "
            + "k.spend_limit_nanos, k.used_nanos, k.request_count, k.allowed_models, k.created_at, k.last_used_at";

    private final Jdbi jdbi;
    private final Clock clock;

    public AccountStore(Database database, Clock clock) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
    }

    // ---- users

    public User createUser(String name, String group, Status status) {
        long id = jdbi.withHandle(h -> h.createUpdate(
                        "INSERT INTO users (name, group_name, status, balance_nanos, created_at) "
                                + "VALUES (:name, :group, :status, 0, :now)")
                .bind("name", name).bind("group", group).bind("status", status.dbValue())
                .bind("now", clock.millis())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return findUser(id).orElseThrow();
    }

    public Optional<User> findUser(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + USER_COLUMNS + " FROM users u WHERE u.id = :id")
                .bind("id", id).map((rs, ctx) -> user(rs)).findOne());
    }

    public Optional<User> findUserByName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + USER_COLUMNS + " FROM users u WHERE u.name = :name")
                .bind("name", name).map((rs, ctx) -> user(rs)).findOne());
    }

    public List<User> listUsers(int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + USER_COLUMNS + " FROM users u ORDER BY u.id LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset).map((rs, ctx) -> user(rs)).list());
    }

    public void updateUser(long id, String group, Status status) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET group_name = :group, status = :status WHERE id = :id")
                .bind("group", group).bind("status", status.dbValue()).bind("id", id).execute());
    }

    /**
     * Adds {@code amountNanos} (negative to deduct) to a balance and writes the matching ledger row in
     * the same transaction. Returns the new balance.
     */
    public long credit(long userId, long amountNanos, String kind, String reference, String note) {
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE users SET balance_nanos = balance_nanos + :amount, "
                            + "balance_version = balance_version + 1 WHERE id = :id")
                    .bind("amount", amountNanos).bind("id", userId).execute();
            if (updated == 0) {
                throw new IllegalArgumentException("user: " + userId + " (expected: an existing user id)");
            }
            insertLedger(h, userId, amountNanos, kind, reference, note, clock.millis());
            return h.createQuery("SELECT balance_nanos FROM users WHERE id = :id")
                    .bind("id", userId).mapTo(Long.class).one();
        });
    }

    static void insertLedger(Handle h, long userId, long amount, String kind, String reference, String note,
                             long now) {
        h.createUpdate("INSERT INTO ledger (user_id, amount_nanos, kind, reference, note, created_at) "
                        + "VALUES (:user, :amount, :kind, :ref, :note, :now)")
                .bind("user", userId).bind("amount", amount).bind("kind", kind).bind("ref", reference)
                .bind("note", note).bind("now", now).execute();
    }

    /** The sum of a user's ledger rows; equals the balance whenever the store is consistent. */
    public long ledgerSum(long userId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COALESCE(SUM(amount_nanos), 0) FROM ledger WHERE user_id = :id")
                .bind("id", userId).mapTo(Long.class).one());
    }

    // ---- keys

    public ApiKey createKey(long userId, String name, String keyHash, String hint, Long expiresAt,
                            Long spendLimitNanos, Collection<String> allowedModels) {
        long id = jdbi.withHandle(h -> h.createUpdate(
                        "INSERT INTO api_keys (user_id, name, key_hash, key_hint, status, expires_at, "
                                + "spend_limit_nanos, allowed_models, created_at) "
                                + "VALUES (:user, :name, :hash, :hint, 'active', :expires, :limit, :models, :now)")
                .bind("user", userId).bind("name", name).bind("hash", keyHash).bind("hint", hint)
                .bind("expires", expiresAt).bind("limit", spendLimitNanos)
                .bind("models", Lists.join(allowedModels)).bind("now", clock.millis())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return findKey(id).orElseThrow();
    }

    public Optional<ApiKey> findKey(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + KEY_COLUMNS + " FROM api_keys k WHERE k.id = :id")
                .bind("id", id).map((rs, ctx) -> key(rs)).findOne());
    }

    public Optional<ApiKey> findKeyByHash(String keyHash) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + KEY_COLUMNS + " FROM api_keys k WHERE k.key_hash = :hash")
                .bind("hash", keyHash).map((rs, ctx) -> key(rs)).findOne());
    }

    public List<ApiKey> listKeys(long userId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + KEY_COLUMNS + " FROM api_keys k WHERE k.user_id = :user ORDER BY k.id")
                .bind("user", userId).map((rs, ctx) -> key(rs)).list());
    }

    public void updateKey(long id, String name, Status status, Long expiresAt, Long spendLimitNanos,
                          Collection<String> allowedModels) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_keys SET name = :name, status = :status, "
                        + "expires_at = :expires, spend_limit_nanos = :limit, allowed_models = :models WHERE id = :id")
                .bind("name", name).bind("status", status.dbValue()).bind("expires", expiresAt)
                .bind("limit", spendLimitNanos).bind("models", Lists.join(allowedModels)).bind("id", id)
                .execute());
    }

    // ---- groups

    public void upsertGroup(Group group) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate(
                            "UPDATE user_groups SET multiplier_ppm = :ppm, description = :description WHERE name = :name")
                    .bind("ppm", group.multiplierPpm()).bind("description", group.description())
                    .bind("name", group.name()).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO user_groups (name, multiplier_ppm, description, created_at) "
                                + "VALUES (:name, :ppm, :description, :now)")
                        .bind("name", group.name()).bind("ppm", group.multiplierPpm())
                        .bind("description", group.description()).bind("now", clock.millis()).execute();
            }
        });
    }

    public List<Group> listGroups() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT name, multiplier_ppm, description FROM user_groups ORDER BY name")
                .map((rs, ctx) -> new Group(rs.getString(1), rs.getLong(2), rs.getString(3))).list());
    }

    public Optional<Group> findGroup(String name) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT name, multiplier_ppm, description FROM user_groups WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> new Group(rs.getString(1), rs.getLong(2), rs.getString(3))).findOne());
    }

    // ---- settings

    public Optional<String> setting(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = :name")
                .bind("name", name).mapTo(String.class).findOne());
    }

    public void putSetting(String name, String value) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE settings SET value = :value WHERE name = :name")
                    .bind("name", name).bind("value", value).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO settings (name, value) VALUES (:name, :value)")
                        .bind("name", name).bind("value", value).execute();
            }
        });
    }

    /**
     * Stores {@code value} under {@code name} unless a value is there already, and returns the stored one: of
     * several instances starting on one store at once, all end up with the first one written.
     */
    public String putSettingIfAbsent(String name, String value) {
        Optional<String> stored = setting(name);
        if (stored.isPresent()) {
            return stored.get();
        }
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO settings (name, value) VALUES (:name, :value)")
                    .bind("name", name).bind("value", value).execute());
        } catch (RuntimeException duplicate) {
            // another instance wrote it first: theirs is read below
        }
        return setting(name).orElseThrow(() -> new IllegalStateException("setting " + name + " not stored"));
    }

    // ---- mapping

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), rs.getString(3), Status.of(rs.getString(4)),
                rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8));
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        Set<String> models = Lists.split(rs.getString(10));
        return new ApiKey(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                Status.of(rs.getString(5)), nullableLong(rs, 6), nullableLong(rs, 7), rs.getLong(8),
                rs.getLong(9), models, rs.getLong(11), nullableLong(rs, 12));
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
