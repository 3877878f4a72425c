package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * {@code Idempotency-Key} on paid submits, per user, kept for {@link #RETENTION}: the first request with a key
 * claims it; its answer is stored and given again to a repeat with the same body (no second task, no second
 * charge); a repeat with another body is refused. A claim whose submit failed is released, so the client may
 * try again. The claim is a row insert, so of any number of concurrent requests — on one instance or several
 * sharing the database — exactly one wins; the others wait for its answer.
 */
public final class IdempotencyKeys {

    public static final Duration RETENTION = Duration.ofHours(24);
    /** Longer keys are refused: the column holds 191 characters (MySQL's indexable utf8mb4 length). */
    public static final int MAX_KEY_LENGTH = 191;

    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final long WAIT_STEP_MS = 50;

    private final Database database;
    private final Clock clock;
    private volatile long lastPurge;

    public IdempotencyKeys(Database database, Clock clock) {
        this.database = requireNonNull(database, "database");
        this.clock = requireNonNull(clock, "clock");
    }

    /** What a claim found. */
    public sealed interface Claim {}

    /** This request holds the key: submit, then {@link #complete} or {@link #release}. */
    public record Won() implements Claim {}

    /** The key's first request finished: answer this. */
    public record Replay(int status, String answer) implements Claim {}

    /** The key's first request is still running (same body). */
    public record Busy() implements Claim {}

    /** The key was used with another body (or on another route). */
    public record Conflict() implements Claim {}

    /** The fingerprint a key is bound to: the route and the exact body. */
    public static String fingerprint(String method, String path, byte[] body) {
        MessageDigest sha = sha256();
        sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(body);
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Claims {@code key}, or waits up to {@code wait} while its first request runs: {@link Won},
     * {@link Replay}, {@link Conflict}, or {@link Busy} when the first request is still running after the wait.
     * Blocks: call it off the event loop.
     */
    public Claim claimOrWait(long userId, String key, String fingerprint, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Claim claim = claim(userId, key, fingerprint);
            if (!(claim instanceof Busy) || System.nanoTime() >= deadline) {
                return claim;
            }
            Thread.sleep(WAIT_STEP_MS);
        }
    }

    /** Claims {@code key} for {@code userId}, or says who has it; an expired row is replaced. */
    public Claim claim(long userId, String key, String fingerprint) {
        long now = clock.millis();
        if (now - lastPurge > PURGE_EVERY.toMillis()) {
            lastPurge = now;
            purgeExpired();
        }
        return database.jdbi().withHandle(h -> {
            h.createUpdate("DELETE FROM idempotency_keys WHERE user_id = :u AND idem_key = :k AND created_at < :cutoff")
                    .bind("u", userId).bind("k", key).bind("cutoff", now - RETENTION.toMillis()).execute();
            try {
                h.createUpdate("INSERT INTO idempotency_keys (user_id, idem_key, body_hash, state, status, answer, "
                                + "created_at) VALUES (:u, :k, :hash, 'pending', 0, NULL, :now)")
                        .bind("u", userId).bind("k", key).bind("hash", fingerprint).bind("now", now).execute();
                return new Won();
            } catch (UnableToExecuteStatementException taken) {
                return existing(userId, key, fingerprint).orElseGet(Busy::new); // released meanwhile: try again
            }
        });
    }

    private Optional<Claim> existing(long userId, String key, String fingerprint) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT body_hash, state, status, answer "
                        + "FROM idempotency_keys WHERE user_id = :u AND idem_key = :k")
                .bind("u", userId).bind("k", key)
                .map((rs, ctx) -> {
                    if (!rs.getString("body_hash").equals(fingerprint)) {
                        return (Claim) new Conflict();
                    }
                    return "done".equals(rs.getString("state"))
                            ? new Replay(rs.getInt("status"), rs.getString("answer")) : new Busy();
                })
                .findOne());
    }

    /** The claimed key's request was answered: repeats get {@code answer}. */
    public void complete(long userId, String key, int status, String answer) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE idempotency_keys SET state = 'done', status = :s, "
                        + "answer = :a WHERE user_id = :u AND idem_key = :k")
                .bind("s", status).bind("a", answer).bind("u", userId).bind("k", key).execute());
    }

    /** The claimed key's request did not submit anything: the key is free again. */
    public void release(long userId, String key) {
        database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE user_id = :u "
                + "AND idem_key = :k AND state = 'pending'").bind("u", userId).bind("k", key).execute());
    }

    /** Removes keys past their retention; returns how many. */
    public int purgeExpired() {
        long cutoff = clock.millis() - RETENTION.toMillis();
        return database.jdbi().withHandle(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE created_at < :c")
                .bind("c", cutoff).execute());
    }
}
