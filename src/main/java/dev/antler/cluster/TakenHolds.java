package dev.antler.cluster;

import dev.antler.store.StatementSource;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holds this instance keeps in {@code cluster_holds} (taken there, or adopted from Redis), by request id, with
 * when each was settled in memory ({@link #OPEN} until then). A hold's row is deleted in the ledger transaction
 * that writes its request's charge ({@link #releaseIn}); a row whose charge never comes with it (set aside, or a
 * refused request) is swept {@link #LEFTOVER_MS} after its request was settled, and a copy adopted after its charge
 * was written is swept with the next heartbeat.
 */
final class TakenHolds {

    private static final Logger log = LoggerFactory.getLogger(TakenHolds.class);
    /** A stored hold whose charge was queued this long ago and is still there (its entry was set aside) goes. */
    private static final long LEFTOVER_MS = 60_000;
    private static final long OPEN = 0;
    /** A settled time long past: the sweep deletes the row at its next run. */
    private static final long SWEEP_NOW = 1;
    private static final String DELETE = "DELETE FROM cluster_holds WHERE instance_id = ? AND request_id = ?";

    private final Jdbi jdbi;
    private final Clock clock;
    private final String instanceId;
    private final Map<String, Long> taken = new ConcurrentHashMap<>();
    /** The holds the last ledger transaction deleted (the writer's thread only). */
    private volatile Set<String> deletedInBatch = Set.of();
    private final Object adoption = new Object();
    private boolean adopting;
    /** While holds are adopted: the requests whose charges were written, and those settled, meanwhile. */
    private final Set<String> releasedWhileAdopting = new HashSet<>();
    private final Map<String, Long> settledWhileAdopting = new HashMap<>();

    TakenHolds(Jdbi jdbi, Clock clock, String instanceId) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    /** The hold's row is committed: it is deleted with its request's charge. */
    void recorded(String requestId) {
        taken.put(requestId, OPEN);
    }

    /** The hold's transaction failed, but its commit may have happened all the same: the sweep deletes such a row. */
    void unsure(String requestId) {
        taken.put(requestId, clock.millis());
    }

    /** The request was refused after all: whatever the store holds for it goes (now, or with the next sweep). */
    void discard(String requestId) {
        taken.put(requestId, SWEEP_NOW);
        try {
            delete(requestId);
            taken.remove(requestId);
        } catch (RuntimeException e) {
            log.debug("cluster: a refused request's hold is deleted with the next sweep: {}", e.toString());
        }
    }

    /** The request was settled in memory: its charge is queued for the writer, which deletes the row. */
    void settled(String requestId) {
        long now = clock.millis();
        synchronized (adoption) {
            if (adopting) {
                settledWhileAdopting.put(requestId, now);
            }
        }
        taken.computeIfPresent(requestId, (id, open) -> now);
    }

    /** Inside the ledger transaction that writes these requests' charges: deletes their rows. */
    void releaseIn(StatementSource source, List<String> requestIds) {
        deletedInBatch = Set.of();
        if (taken.isEmpty()) {
            return;
        }
        try {
            PreparedStatement delete = null;
            Set<String> deleted = new HashSet<>();
            for (String id : requestIds) {
                if (!taken.containsKey(id)) {
                    continue;
                }
                deleted.add(id);
                if (delete == null) {
                    delete = source.prepare(DELETE);
                }
                delete.setString(1, instanceId);
                delete.setString(2, id);
                delete.addBatch();
            }
            if (delete != null) {
                delete.executeBatch();
            }
            deletedInBatch = deleted;
        } catch (SQLException e) {
            throw new IllegalStateException("cluster_holds: release of a batch's holds failed: " + e.getMessage(), e);
        }
    }

    /** That transaction committed. */
    void released(List<String> requestIds) {
        synchronized (adoption) {
            if (adopting) {
                releasedWhileAdopting.addAll(requestIds);
            }
        }
        if (!taken.isEmpty()) {
            for (String id : requestIds) {
                // a hold copied from Redis after the transaction's delete ran: its row goes with the next sweep
                taken.computeIfPresent(id, (request, at) -> deletedInBatch.contains(request) ? null : SWEEP_NOW);
            }
        }
    }

    /**
     * Holds are about to be handed over from Redis: from now until {@link #adopted}, the requests whose charges are
     * written, or that are settled, are noted, so that no copy outlives its charge.
     */
    void beginAdoption() {
        synchronized (adoption) {
            adopting = true;
        }
    }

    /** The copies of Redis holds are committed in the store: each is deleted with its charge, or swept. */
    void adopted(List<HoldAdoption.Copied> copies) {
        synchronized (adoption) {
            for (HoldAdoption.Copied c : copies) {
                if (releasedWhileAdopting.contains(c.requestId())) {
                    taken.put(c.requestId(), SWEEP_NOW); // its charge was written meanwhile: the copy goes again
                } else {
                    long settledAt = Math.max(c.settledAt(), settledWhileAdopting.getOrDefault(c.requestId(), OPEN));
                    taken.merge(c.requestId(), settledAt, (had, copied) -> had != OPEN ? had : copied);
                }
            }
            adopting = false;
            releasedWhileAdopting.clear();
            settledWhileAdopting.clear();
        }
    }

    /** Deletes stored holds whose charge was queued long ago and never written with them (set aside, or refused). */
    void sweep() {
        long cutoff = clock.millis() - LEFTOVER_MS;
        for (Map.Entry<String, Long> e : taken.entrySet()) {
            if (e.getValue() != OPEN && e.getValue() < cutoff) {
                try {
                    delete(e.getKey());
                    taken.remove(e.getKey());
                } catch (RuntimeException failure) {
                    log.debug("cluster: leftover hold not released yet: {}", failure.toString());
                    return;
                }
            }
        }
    }

    private void delete(String requestId) {
        jdbi.useHandle(h -> h.createUpdate(DELETE).bind(0, instanceId).bind(1, requestId).execute());
    }
}
