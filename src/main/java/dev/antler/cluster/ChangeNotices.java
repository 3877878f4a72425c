package dev.antler.cluster;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Tells every gateway instance sharing a store that something stored changed, so each re-reads it: the
 * transport between instances (a change table polled on every dialect, or a pub/sub channel) is behind this
 * one interface. A notice names what changed, not its new value: the store stays the record, and a receiver
 * re-reads it (except {@link Kind#BREAKER}: a breaker's state is not stored, so its notice carries it). Delivery
 * is at least once and may include this instance's own notices, so applying one must be idempotent; a notice may
 * arrive late (within {@code cluster.poll_ms} and a round trip; over Redis pub/sub within milliseconds, or at the
 * 5-s safety-net read of the store should pub/sub have missed it) but is not lost while the store works.
 */
public interface ChangeNotices extends AutoCloseable {

    /** What changed. */
    enum Kind {
        /** A channel row: made, edited, deleted, enabled or disabled (by the admin or by the gateway). */
        CHANNEL,
        /** A price override. */
        PRICE,
        /** An API key: status, models, spend limit, request limits. */
        KEY,
        /** A user: status, group, daily cap, request limits. */
        USER,
        /** A group: multiplier, limits. */
        GROUP,
        /** Stored request limits not tied to one key or user. */
        LIMIT,
        /**
         * A channel's circuit breaker opened or closed on the publishing instance. Not stored state: the id carries
         * it, and for how long the breaker stays open ({@link BreakerNotices} says how).
         */
        BREAKER;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromWire(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One change: {@code id} names the thing (a channel or group name, a user or key id, a model), or is
     * empty when the receiver should re-read every thing of that kind.
     */
    record Notice(Kind kind, String id) {
        public Notice {
            requireNonNull(kind, "kind");
            requireNonNull(id, "id");
        }
    }

    /** Notices that go nowhere: for tools that change the store with no gateway running (config checks, tests). */
    static ChangeNotices none() {
        return new ChangeNotices() {
            @Override
            public void publish(Kind kind, String id) {}

            @Override
            public void subscribe(Consumer<Notice> listener) {}

            @Override
            public void close() {}
        };
    }

    /**
     * Tells the other instances (and possibly this one) that {@code kind}/{@code id} changed. May block on the
     * store: call off the event loop. Never throws for a transport failure (the change itself is stored; the
     * failure is logged and counted).
     */
    void publish(Kind kind, String id);

    /** Runs {@code listener} for every notice received from now on, on a background thread (never an event loop). */
    void subscribe(Consumer<Notice> listener);

    /** Stops receiving; publishing afterwards does nothing. */
    @Override
    void close();
}
