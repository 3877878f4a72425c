package dev.antler.openai;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which channel created each Responses API response, and for which user (the {@code responses} table): the calls on
 * {@code /v1/responses/{id}} go to that channel, for that user only. Kept in the store, not in memory, so any
 * instance sharing it finds a response another one relayed. A response is recorded off the event loop as its id
 * shows in the answer; until the row is written, this instance finds it in {@code unwritten}, so a client that
 * asks for it the moment its answer arrived is not told it does not exist.
 */
final class ResponseOwners {

    /** OpenAI's ids are short (resp_ + 50 hex digits); a longer one is not an id the table can hold. */
    static final int MAX_ID_LENGTH = 191;
    private static final Logger log = LoggerFactory.getLogger(ResponseOwners.class);

    /** One response: who made it, on which channel, for which model (as the client named it). */
    record Owner(String responseId, long userId, long channelId, String model, long createdAt) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final Executor blocking;
    private final Map<String, Owner> unwritten = new ConcurrentHashMap<>();

    ResponseOwners(Database database, Clock clock, Executor blocking) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
        this.blocking = requireNonNull(blocking, "blocking");
    }

    /** Records a response seen in an answer; returns at once (the row is written off the caller's thread). */
    void record(String responseId, long userId, long channelId, String model) {
        if (responseId.isEmpty() || responseId.length() > MAX_ID_LENGTH) {
            return;
        }
        Owner owner = new Owner(responseId, userId, channelId, model, clock.millis());
        unwritten.put(responseId, owner);
        blocking.execute(() -> {
            try {
                insert(owner);
            } catch (RuntimeException e) {
                log.warn("response {} not recorded: {}", responseId, e.toString());
            } finally {
                unwritten.remove(responseId, owner);
            }
        });
    }

    private void insert(Owner owner) {
        jdbi.useTransaction(h -> {
            boolean known = h.createQuery("SELECT COUNT(*) FROM responses WHERE response_id = :id")
                    .bind("id", owner.responseId()).mapTo(Long.class).one() > 0;
            if (!known) { // an upstream repeats no id; a second record of the same answer keeps the first
                h.createUpdate("INSERT INTO responses (response_id, user_id, channel_id, model, created_at)"
                                + " VALUES (:id, :user, :channel, :model, :at)")
                        .bind("id", owner.responseId()).bind("user", owner.userId())
                        .bind("channel", owner.channelId()).bind("model", owner.model())
                        .bind("at", owner.createdAt()).execute();
            }
        });
    }

    /** The response's owner, from this instance's unwritten records or the store. Blocking: off the event loop. */
    Optional<Owner> find(String responseId) {
        Owner pending = unwritten.get(responseId);
        if (pending != null) {
            return Optional.of(pending);
        }
        if (responseId.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT response_id, user_id, channel_id, model, created_at FROM responses WHERE response_id = :id")
                .bind("id", responseId)
                .map((rs, ctx) -> new Owner(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getLong(5)))
                .findOne());
    }
}
