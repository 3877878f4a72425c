package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;

import dev.antler.limits.BodyBudget;
import dev.antler.metrics.LatencyHistogram;
import dev.antler.metrics.RelayOverhead;
import io.vertx.core.Future;
import tools.jackson.databind.node.ObjectNode;

/**
 * Antler's own overhead on relayed requests, as histograms (see {@link RelayOverhead}), and what its
 * memory holds: the heap and the request bodies counted in the in-flight budget.
 */
final class MetricsHandlers {

    private final BodyBudget bodies;

    MetricsHandlers(BodyBudget bodies) {
        this.bodies = bodies;
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "metrics/memory", call -> Future.succeededFuture(Reply.ok(memory())));
        routes.add(GET, "metrics/overhead", call -> Future.succeededFuture(Reply.ok(overhead())))
                .add(DELETE, "metrics/overhead", call -> {
                    // Read, then reset: the answer holds what was recorded since the previous reset.
                    ObjectNode figures = overhead();
                    RelayOverhead.reset();
                    return Future.succeededFuture(Reply.ok(figures));
                });
    }

    private ObjectNode memory() {
        Runtime runtime = Runtime.getRuntime();
        ObjectNode body = AdminJson.object();
        body.put("heap_used_bytes", runtime.totalMemory() - runtime.freeMemory());
        body.put("heap_max_bytes", runtime.maxMemory());
        body.put("inflight_body_bytes", bodies.inUse());
        body.put("max_inflight_body_bytes", bodies.capacity());
        return body;
    }

    private static ObjectNode overhead() {
        ObjectNode body = AdminJson.object();
        body.set("request_to_upstream", view(RelayOverhead.REQUEST.snapshot()));
        body.set("upstream_to_client", view(RelayOverhead.RESPONSE.snapshot()));
        return body;
    }

    private static ObjectNode view(LatencyHistogram.Snapshot s) {
        ObjectNode node = AdminJson.object();
        node.put("count", s.count());
        node.put("p50_us", micros(s.percentileNanos(50)));
        node.put("p90_us", micros(s.percentileNanos(90)));
        node.put("p99_us", micros(s.percentileNanos(99)));
        node.put("p999_us", micros(s.percentileNanos(99.9)));
        node.put("max_us", micros(s.maxNanos()));
        return node;
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
