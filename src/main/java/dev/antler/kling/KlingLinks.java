package dev.antler.kling;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.tasks.Task;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's links for a Kling task, kept in its {@code request} facts at submit: {@code base} (the gateway's
 * public base URL, else the submitting request's host — so a webhook, sent with no request at hand, still names
 * the gateway), {@code result_token} (makes the result links unguessable: {@code <base>/kling/results/{task_id}/
 * {token}/{n}}, keyless so a webhook receiver or a {@code <video>} tag can load them, as Kling's own CDN links
 * can be) and {@code callback_token} (Kling calls back on {@code /kling/callback/{channel id}-{token}}: the task is the
 * one its body names on that channel, and only if the token is its own). The
 * two tokens differ: the client sees the first, only Kling the second, so no client can report its own task done.
 */
final class KlingLinks {

    static final String RESULTS = "/kling/results/";
    static final String CALLBACK = "/kling/callback/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private KlingLinks() {}

    /** 128 random bits, hex. */
    static String token() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The base of the links handed to the client of {@code request}: the configured one, else its host. */
    static String base(String publicBaseUrl, ClientRequest request) {
        return base(publicBaseUrl, request.scheme(), request.authority(), request.headers().get("Host"),
                request.headers().get("X-Forwarded-Proto"));
    }

    static String base(String publicBaseUrl, HttpServerRequest request) {
        return base(publicBaseUrl, request.scheme(), request.authority() == null ? null : request.authority().toString(),
                request.getHeader("Host"), request.getHeader("X-Forwarded-Proto"));
    }

    private static String base(String publicBaseUrl, String scheme, String authority, String host, String forwarded) {
        if (publicBaseUrl != null) {
            return publicBaseUrl.replaceAll("/+$", "");
        }
        String h = host == null || host.isBlank() ? authority == null ? "localhost" : authority : host.strip();
        return ("https".equalsIgnoreCase(forwarded) || "https".equals(scheme) ? "https" : "http") + "://" + h;
    }

    /** The link to result {@code n} of {@code task}, or null for a task submitted before links were kept. */
    static String result(Task task, String base, int n) {
        JsonNode facts = facts(task);
        String token = facts.path("result_token").asString("");
        String b = base != null ? base : facts.path("base").asString("");
        return token.isEmpty() || b.isEmpty() ? null : b + RESULTS + task.publicId() + "/" + token + "/" + n;
    }

    /** Whether {@code given} is {@code task}'s token named {@code field}; in constant time. */
    static boolean matches(Task task, String field, String given) {
        String kept = facts(task).path(field).asString("");
        return !kept.isEmpty() && MessageDigest.isEqual(kept.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode facts(Task task) {
        return task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
    }

    /** The upstream's result items of {@code task} ({@code videos} or {@code images}), as last reported. */
    static JsonNode items(Task task) {
        JsonNode result = task.payload() == null ? Json.object()
                : Json.MAPPER.readTree(task.payload()).path("task_result");
        return result.path("videos").isArray() ? result.path("videos") : result.path("images");
    }
}
