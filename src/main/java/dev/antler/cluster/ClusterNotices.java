package dev.antler.cluster;

import dev.antler.config.ClusterConfig;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change notices of a group of instances: always written to the store's change table, which stays the record
 * every instance can catch up from; and, once a {@link NoticeBus} (Redis pub/sub) is carried over, also sent on
 * it, so the others apply them within milliseconds instead of at their next poll. While this instance listens on
 * the bus, the table is read only every {@link #SAFETY_NET_MS} rather than every {@code cluster.poll_ms}: the bus
 * misses a notice only when its publisher could not send it (the row is there) or a subscription hangs without
 * closing, and the slow read bounds the delay of those. When the subscription is lost the table is read every
 * {@code cluster.poll_ms} again, and on each (re)subscription once at once, for what was sent while away. A
 * notice that came both ways is applied once (the bus message carries its row's number).
 */
final class ClusterNotices implements ChangeNotices {

    private static final Logger log = LoggerFactory.getLogger(ClusterNotices.class);
    static final long SAFETY_NET_MS = 5_000;

    private final StoreChangeNotices store;
    private final Executor clusterThread;
    private final Clock clock;
    private final String origin;
    private final long pollMs;
    private final long safetyNetMs;
    private volatile NoticeBus bus;
    private volatile boolean closed;
    /** Cluster thread only: whether the bus delivers now, and when the table was last read. */
    private boolean listening;
    private long lastPoll;

    ClusterNotices(StoreChangeNotices store, Executor clusterThread, Clock clock, ClusterConfig config, String origin) {
        this.store = store;
        this.clusterThread = clusterThread;
        this.clock = clock;
        this.origin = origin;
        this.pollMs = config.pollMs();
        this.safetyNetMs = Math.max(SAFETY_NET_MS, config.pollMs());
    }

    @Override
    public void publish(Kind kind, String id) {
        if (closed) {
            return;
        }
        long seq = store.insert(kind, id);
        NoticeBus sending = bus;
        if (sending != null) {
            sending.send(seq + " " + origin + " " + kind.wireName() + " " + id);
        }
    }

    @Override
    public void subscribe(Consumer<Notice> listener) {
        store.subscribe(listener);
    }

    /** From now on notices are sent on {@code bus} too, and received from it while it works. */
    void carryOver(NoticeBus bus) {
        this.bus = bus;
        bus.listen(new NoticeBus.Receiver() {
            @Override
            public void listening() {
                onClusterThread(ClusterNotices.this::nowListening);
            }

            @Override
            public void message(String message) {
                received(message);
            }

            @Override
            public void deaf(String problem) {
                onClusterThread(() -> nowDeaf(problem));
            }
        });
    }

    /** Every {@code cluster.poll_ms} on the cluster thread: reads the table, or only now and then while listening. */
    void tick() {
        long now = clock.millis();
        if (!listening || now - lastPoll >= safetyNetMs) {
            poll(now);
        }
    }

    private void poll(long now) {
        lastPoll = now;
        store.poll();
    }

    private void nowListening() {
        if (!listening) {
            log.info("cluster: change notices arrive over Redis pub/sub; the store's change table is read every {} ms "
                    + "as a safety net", safetyNetMs);
        }
        listening = true;
        poll(clock.millis()); // what was sent while not subscribed is in the table
    }

    private void nowDeaf(String problem) {
        if (listening) {
            log.warn("cluster: change notices no longer arrive over Redis pub/sub ({}); the store's change table is "
                    + "read every {} ms until they do", problem, pollMs);
        }
        listening = false;
    }

    /** A bus message {@code "<row number> <origin> <kind> <id>"}; this instance's own are ignored. */
    private void received(String message) {
        String[] parts = message.split(" ", 4);
        if (parts.length < 4 || parts[1].equals(origin)) {
            return;
        }
        long seq;
        try {
            seq = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return; // not a notice of this format: a newer instance's, or another program's on the channel
        }
        onClusterThread(() -> {
            // 0: its row could not be written, so no poll delivers it
            if (seq == 0 || store.claim(seq, parts[1], parts[2], parts[3])) {
                store.deliver(parts[2], parts[3]);
            }
        });
    }

    private void onClusterThread(Runnable task) {
        try {
            clusterThread.execute(task);
        } catch (RejectedExecutionException e) {
            // stopping: nothing is applied any more
        }
    }

    @Override
    public void close() {
        closed = true;
        store.close();
    }
}
