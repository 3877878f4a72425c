package dev.antler.http;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The optional access log ({@code logging.access_log}): one line per request once its answer ended — method, path
 * (never the query, which may carry a key), status (499 when the client left first), bytes of the answer, duration,
 * request id and the id of the key it presented (never the key) — as text or, with {@code logging.format: json},
 * as one JSON object. Written through the {@value #LOGGER} logger, which {@code LogSetup} points at the standard
 * output or the configured file; nothing is watched when the log is off.
 */
public final class AccessLog {

    public static final String LOGGER = "antler.access";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final boolean json;
    private final Function<String, Long> keyIds;

    /** {@code keyIds}: the id of a presented key the gateway already knows (its cache), else null; never a lookup. */
    public AccessLog(boolean json, Function<String, Long> keyIds) {
        this.json = json;
        this.keyIds = requireNonNull(keyIds, "keyIds");
    }

    /** Logs {@code request} once its answer ended (or its connection closed first). */
    public void watch(HttpServerRequest request) {
        long start = System.nanoTime();
        HttpServerResponse response = request.response();
        response.endHandler(v -> log.info(line(request, response, (System.nanoTime() - start) / 1_000_000)));
    }

    private String line(HttpServerRequest request, HttpServerResponse response, long durationMs) {
        int status = response.ended() ? response.getStatusCode() : 499;
        String requestId = response.headers().get(Exchange.REQUEST_ID_HEADER);
        String presented = ClientKey.of(request);
        Long keyId = presented == null || presented.isBlank() ? null : keyIds.apply(presented);
        if (json) {
            ObjectNode node = Json.object();
            node.put("time", Instant.now().toString());
            node.put("method", request.method().name());
            node.put("path", request.path());
            node.put("status", status);
            node.put("bytes", response.bytesWritten());
            node.put("duration_ms", durationMs);
            node.put("request_id", requestId);
            if (keyId == null) {
                node.putNull("key_id");
            } else {
                node.put("key_id", keyId);
            }
            return node.toString();
        }
        return Instant.now() + " " + request.method().name() + " " + request.path() + " " + status + " "
                + response.bytesWritten() + " " + durationMs + "ms " + (requestId == null ? "-" : requestId) + " key="
                + (keyId == null ? "-" : keyId);
    }
}
