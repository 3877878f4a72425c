package dev.antler.health;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Whether this instance should be sent traffic: not draining, and its store answering at the schema version
 * this build expects. Liveness is only that the event loop answers at all.
 */
public final class Readiness {

    /** How long the store may take to answer a readiness check. */
    static final long STORE_TIMEOUT_MS = 2_000;

    /** The outcome of one check: {@code ready}, else {@code reason} says why not. */
    public record Verdict(boolean ready, String reason, String detail, Integer schemaVersion) {}

    private static final Verdict DRAINING = new Verdict(false, "draining", "the instance is stopping", null);

    private final Vertx vertx;
    private final Database database;
    private volatile boolean draining;
    private final Map<String, Supplier<Map<String, Object>>> details = new ConcurrentHashMap<>();
    /** The store check in progress, shared by the probes that arrive meanwhile. */
    private final AtomicReference<Future<Integer>> reading = new AtomicReference<>();

    public Readiness(Vertx vertx, Database database) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.database = requireNonNull(database, "database");
    }

    /**
     * Shows {@code state} under {@code details.name} in every readiness answer: a dependency the instance works
     * without (degraded), which therefore never makes it not ready.
     */
    public void detail(String name, Supplier<Map<String, Object>> state) {
        details.put(requireNonNull(name, "name"), requireNonNull(state, "state"));
    }

    /** The {@link #detail} states now, by name; empty when none is registered. */
    public Map<String, Map<String, Object>> details() {
        Map<String, Map<String, Object>> now = new LinkedHashMap<>();
        details.forEach((name, state) -> now.put(name, state.get()));
        return now;
    }

    /** From now on the instance is not ready: a stop has begun, and load balancers should stop sending. */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** Checks the store off the event loop, within {@link #STORE_TIMEOUT_MS}. */
    public Future<Verdict> check() {
        if (draining) {
            return Future.succeededFuture(DRAINING);
        }
        int expected = Database.expectedSchemaVersion();
        return schemaVersion()
                .timeout(STORE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(version -> draining ? DRAINING : version == expected
                        ? new Verdict(true, null, null, version)
                        : new Verdict(false, "schema_version", "store schema version " + version + " (expected: "
                                + expected + ")", version))
                .otherwise(failure -> new Verdict(false, "store_unreachable", failure.getClass().getSimpleName() + ": "
                        + failure.getMessage(), null));
    }

    /**
     * One store read at a time: a store that hangs (a pool waiting for connections) holds one worker thread,
     * however often the probes come.
     */
    private Future<Integer> schemaVersion() {
        Future<Integer> current = reading.get();
        if (current != null && !current.isComplete()) {
            return current;
        }
        Future<Integer> started = vertx.executeBlocking(database::schemaVersion, false);
        reading.set(started);
        return started;
    }
}
