package dev.antler.cluster;

import dev.antler.store.Dialect;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Moves the holds this instance took in Redis into {@code cluster_holds} when it stops taking holds there: from the
 * commit that also stamps its new {@code redis_state}, the store counts every hold in flight on this instance.
 */
final class HoldAdoption {

    /** A hold taken in Redis, to be kept in the store: {@code settledAt} is 0 while its request runs. */
    record Copied(String requestId, long userId, long keyId, long userNanos, long settledAt) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final Instances instances;
    private final TakenHolds taken;
    private final String upsert;

    HoldAdoption(Jdbi jdbi, Dialect dialect, Clock clock, Instances instances, TakenHolds taken) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.instances = instances;
        this.taken = taken;
        this.upsert = upsertSql(dialect);
    }

    /**
     * Holds are about to be handed over from Redis ({@link #adopt}): from now until they are adopted, the requests
     * whose charges are written are noted, so that no copy outlives its charge.
     */
    void begin() {
        taken.beginAdoption();
    }

    /**
     * Records {@code holds} (a request's row may be there already with its key's part alone) and stamps {@code state}
     * on this instance's row, in one transaction. The row is stamped first, as a hold taker locks the instances'
     * rows before it inserts into {@code cluster_holds}; and each hold is one upsert on the primary key, which on
     * MySQL locks that key alone, where an update of a missing row would lock the gap other instances insert into.
     */
    void adopt(List<Copied> holds, int state) {
        taken.beginAdoption();
        jdbi.useTransaction(h -> {
            instances.stampRedisState(h, state);
            for (Copied c : holds) {
                h.createUpdate(upsert).bind("instance", instances.id()).bind("request", c.requestId())
                        .bind("user", c.userId()).bind("key", c.keyId()).bind("userNanos", c.userNanos())
                        .bind("now", clock.millis()).execute();
            }
        });
        taken.adopted(holds);
    }

    private static String upsertSql(Dialect dialect) {
        String insert = "INSERT INTO cluster_holds (instance_id, request_id, user_id, key_id, user_nanos, key_nanos, "
                + "created_at) VALUES (:instance, :request, :user, :key, :userNanos, 0, :now)";
        return insert + dialect.onConflict("instance_id, request_id") + "user_nanos = " + dialect.proposed("user_nanos");
    }
}
