package dev.antler.openai.realtime;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.ApiKeys;
import dev.antler.store.Database;
import java.time.Clock;
import java.util.Optional;

/**
 * Ephemeral realtime keys in the store ({@code realtime_secrets}): only their SHA-256, the id of the API key that
 * minted them, the model they were minted for (or none), and when they expire and were spent. Spending is one
 * compare-and-set on the row, so of any number of attempts with one key — on one instance or on several sharing
 * the store, before or after a restart — exactly one succeeds, and only before the key expires. Blocking: call
 * off the event loop.
 */
final class RealtimeSecretStore {

    /** Expired rows are deleted at most this often (on a mint). */
    static final long PURGE_EVERY_MS = 10 * 60 * 1000L;

    private final Database database;
    private final Clock clock;
    private volatile long lastPurge;

    RealtimeSecretStore(Database database, Clock clock) {
        this.database = requireNonNull(database, "database");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Records {@code ephemeral} (by its hash) for the key {@code apiKeyId}, good until {@code expiresAtMs}. */
    void mint(String ephemeral, long apiKeyId, String model, long expiresAtMs) {
        long now = clock.millis();
        if (now - lastPurge >= PURGE_EVERY_MS) {
            lastPurge = now;
            database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM realtime_secrets WHERE expires_at <= :now")
                    .bind("now", now).execute());
        }
        database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO realtime_secrets (secret_hash, api_key_id, model,"
                        + " created_at, expires_at, used_at) VALUES (:hash, :key, :model, :now, :expires, NULL)")
                .bind("hash", ApiKeys.hash(ephemeral)).bind("key", apiKeyId).bind("model", model)
                .bind("now", now).bind("expires", expiresAtMs).execute());
    }

    /**
     * Spends {@code ephemeral} for a session of {@code model}: the hash of the API key it stands for, or empty when
     * it is unknown, expired, already spent or minted for another model (then nothing changes).
     */
    Optional<String> spend(String ephemeral, String model) {
        String hash = ApiKeys.hash(ephemeral);
        long now = clock.millis();
        return database.jdbi().inTransaction(h -> {
            int spent = h.createUpdate("UPDATE realtime_secrets SET used_at = :now WHERE secret_hash = :hash"
                            + " AND used_at IS NULL AND expires_at > :now AND (model IS NULL OR model = :model)")
                    .bind("now", now).bind("hash", hash).bind("model", model).execute();
            if (spent != 1) {
                return Optional.empty();
            }
            return h.createQuery("SELECT k.key_hash FROM realtime_secrets s JOIN api_keys k ON k.id = s.api_key_id"
                    + " WHERE s.secret_hash = :hash").bind("hash", hash).mapTo(String.class).findOne();
        });
    }
}
