package dev.antler.cluster;

import dev.antler.config.ClusterConfig;
import java.time.Clock;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change notices through the store, on every dialect: a published notice is a row of {@code cluster_changes};
 * every instance reads the rows past the last it saw (every {@code cluster.poll_ms}, as {@link ClusterNotices}
 * says) and hands those of other instances to its listeners, unless the row's notice came another way first
 * ({@link #claim}). A row committed late with a lower number than one already read (concurrent
 * publishers) is still seen: each read starts {@link #LATE_SLACK} numbers back and skips what was delivered.
 * Rows older than a minute are pruned. Blocking: publish off the event loop; polls run on the cluster thread.
 */
final class StoreChangeNotices implements ChangeNotices {

    private static final Logger log = LoggerFactory.getLogger(StoreChangeNotices.class);
    private static final long LATE_SLACK = 200;
    private static final long KEEP_MS = 60_000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final String origin;
    private final List<Consumer<Notice>> listeners = new CopyOnWriteArrayList<>();
    /**
     * Cluster thread only: the highest number read, and the rows above it less the slack already delivered (or
     * this instance's own), each with what it said ({@link Row#said}).
     */
    private long highest;
    private final TreeMap<Long, String> seen = new TreeMap<>();
    private long lastPrune;
    private volatile boolean closed;
    private boolean failing;

    StoreChangeNotices(Jdbi jdbi, Clock clock, ClusterConfig config, String origin) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.origin = origin;
        this.highest = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM cluster_changes")
                .mapTo(Long.class).one());
        this.lastPrune = clock.millis();
    }

    @Override
    public void publish(Kind kind, String id) {
        insert(kind, id);
    }

    /** Publishes a notice; returns its row's number, or 0 when it could not be written (logged). */
    long insert(Kind kind, String id) {
        if (closed) {
            return 0;
        }
        try {
            return jdbi.withHandle(h -> h.createUpdate("INSERT INTO cluster_changes (kind, item, origin, created_at) "
                            + "VALUES (:kind, :item, :origin, :now)")
                    .bind("kind", kind.wireName()).bind("item", id).bind("origin", origin)
                    .bind("now", clock.millis()).executeAndReturnGeneratedKeys("seq").mapTo(Long.class).one());
        } catch (RuntimeException e) {
            log.warn("cluster: change notice {} {} not published ({}); other instances see it at their restart",
                    kind.wireName(), id, e.toString());
            return 0;
        }
    }

    @Override
    public void subscribe(Consumer<Notice> listener) {
        listeners.add(listener);
    }

    /** Reads the rows not read yet and delivers those of other instances. */
    void poll() {
        if (closed) {
            return;
        }
        List<Row> rows;
        try {
            rows = jdbi.withHandle(h -> h.createQuery("SELECT seq, kind, item, origin FROM cluster_changes "
                            + "WHERE seq > :floor ORDER BY seq")
                    .bind("floor", highest - LATE_SLACK)
                    .map((r, ctx) -> new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4))).list());
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("cluster: change notices not read ({}); retrying", e.toString());
                failing = true;
            }
            return;
        }
        for (Row row : rows) {
            if (row.seq <= highest - LATE_SLACK) {
                continue;
            }
            // a row whose number a bus message claimed with other words (a gateway on another store) is still new
            boolean fresh = !row.said().equals(seen.put(row.seq, row.said()));
            highest = Math.max(highest, row.seq);
            if (fresh && !row.origin.equals(origin)) {
                deliver(row);
            }
        }
        seen.headMap(highest - LATE_SLACK, true).clear();
        prune();
    }

    /**
     * Row {@code seq}, from {@code origin}, of {@code kind} and {@code item}, arrived another way (over the notice
     * bus): true when it is still to be delivered, false when a poll (or the bus) delivered it already. Cluster
     * thread only.
     */
    boolean claim(long seq, String origin, String kind, String item) {
        if (seq <= highest - LATE_SLACK) {
            return true; // a number the polls passed long ago cannot be told apart: delivered again (at least once)
        }
        String said = Row.said(origin, kind, item);
        return !said.equals(seen.putIfAbsent(seq, said));
    }

    private void deliver(Row row) {
        deliver(row.kind, row.item);
    }

    /** Hands a notice of another instance to the listeners. Cluster thread only. */
    void deliver(String kind, String item) {
        Notice notice;
        try {
            notice = new Notice(Kind.fromWire(kind), item);
        } catch (IllegalArgumentException e) {
            return; // a kind a newer instance publishes; this one has nothing to re-read for it
        }
        for (Consumer<Notice> listener : listeners) {
            try {
                listener.accept(notice);
            } catch (RuntimeException e) {
                log.warn("cluster: change notice {} {} not applied: {}", kind, item, e.toString());
            }
        }
    }

    private void prune() {
        long now = clock.millis();
        if (now - lastPrune < KEEP_MS / 2) {
            return;
        }
        lastPrune = now;
        try {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM cluster_changes WHERE created_at < :before")
                    .bind("before", now - KEEP_MS).execute());
        } catch (RuntimeException e) {
            log.debug("cluster: old change notices not pruned: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private record Row(long seq, String kind, String item, String origin) {
        String said() {
            return said(origin, kind, item);
        }

        static String said(String origin, String kind, String item) {
            return origin + ' ' + kind + ' ' + item;
        }
    }
}
