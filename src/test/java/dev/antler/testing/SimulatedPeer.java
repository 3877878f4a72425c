package dev.antler.testing;

import dev.antler.store.Database;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Another gateway instance on the store, simulated by its rows: a heartbeat stamped every 50 ms until closed, and
 * holds of its own put straight into {@code cluster_holds}. While it beats, the gateway under test is one of two live
 * instances and records its holds where the instances share them; once closed, the gateway finds it gone after
 * its {@code cluster.instance_timeout_ms}.
 */
public final class SimulatedPeer implements AutoCloseable {

    public static final String ID = "peer";

    private final Database database;
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private Thread beats;

    private SimulatedPeer(Database database) {
        this.database = database;
    }

    /** A peer of {@code gateway}'s, not live until {@link #beat}. */
    public static SimulatedPeer of(GatewayHarness gateway) {
        return new SimulatedPeer(gateway.gateway().database());
    }

    /** A hold of this peer's in flight: {@code userNanos} of the user's balance, for request {@code requestId}. */
    public SimulatedPeer holds(long userId, long userNanos, String requestId) {
        database.jdbi().useHandle(h -> h.execute("INSERT INTO cluster_holds (instance_id, request_id, user_id, "
                + "key_id, user_nanos, key_nanos, created_at) VALUES (?, ?, ?, 0, ?, 0, ?)", ID, requestId, userId,
                userNanos, System.currentTimeMillis()));
        return this;
    }

    /** Starts the heartbeat and waits until {@code gateway} counts two live instances. */
    public SimulatedPeer beat(GatewayHarness gateway) {
        database.jdbi().useHandle(h -> h.execute("INSERT INTO cluster_instances (instance_id, started_at, "
                + "heartbeat_at) VALUES (?, ?, ?)", ID, System.currentTimeMillis(), System.currentTimeMillis()));
        beats = Thread.ofPlatform().name("simulated-peer").start(() -> {
            while (alive.get()) {
                database.jdbi().useHandle(h -> h.execute("UPDATE cluster_instances SET heartbeat_at = ? "
                        + "WHERE instance_id = ?", System.currentTimeMillis(), ID));
                pause(50);
            }
        });
        awaitReady(gateway, "\"instances\":2");
        return this;
    }

    /** Stops the heartbeat (the row stays until the gateway finds the peer gone). */
    @Override
    public void close() throws InterruptedException {
        alive.set(false);
        if (beats != null) {
            beats.join();
        }
    }

    /** Waits up to 10 s for {@code /health/ready} to contain {@code wanted}. */
    public static void awaitReady(GatewayHarness gateway, String wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/health/ready")).build()).body();
            if (last.contains(wanted)) {
                return;
            }
            pause(20);
        }
        throw new AssertionError("/health/ready never said " + wanted + " (last: " + last + ")");
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
