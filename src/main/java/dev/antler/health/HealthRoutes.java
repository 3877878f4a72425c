package dev.antler.health;

import dev.antler.http.Exchange;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.http.Routes;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.function.IntSupplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /health/live} (200 while the process serves HTTP) and {@code GET /health/ready} (200 when
 * {@link Readiness} says so, else 503 with the reason), both without authentication, for load balancers,
 * container health checks and orchestrators. The ready answer also says how many gateway instances share the
 * store ({@code instances}, this one included).
 */
public final class HealthRoutes {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    private HealthRoutes() {}

    public static void register(Routes routes, Readiness readiness, IntSupplier liveInstances) {
        routes.add(HttpMethod.GET, LIVE, OpenAiErrorFormat.INSTANCE, exchange -> answer(exchange, 200,
                Json.object().put("status", "live")));
        routes.add(HttpMethod.GET, READY, OpenAiErrorFormat.INSTANCE, exchange -> readiness.check()
                .onComplete(done -> {
                    Readiness.Verdict verdict = done.result();
                    ObjectNode body = Json.object().put("status", verdict.ready() ? "ready" : "not_ready");
                    if (verdict.reason() != null) {
                        body.put("reason", verdict.reason()).put("detail", verdict.detail());
                    }
                    if (verdict.schemaVersion() != null) {
                        body.put("schema_version", verdict.schemaVersion());
                    }
                    body.put("instances", liveInstances.getAsInt());
                    java.util.Map<String, java.util.Map<String, Object>> details = readiness.details();
                    if (!details.isEmpty()) {
                        body.set("details", Json.MAPPER.valueToTree(details));
                    }
                    answer(exchange, verdict.ready() ? 200 : 503, body);
                }));
    }

    private static void answer(Exchange exchange, int status, ObjectNode body) {
        exchange.response().putHeader("Cache-Control", "no-store");
        exchange.json(status, Buffer.buffer(Json.bytes(body)));
    }
}
