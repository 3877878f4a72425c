package dev.antler.tasks;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's links to a task's result files, {@code <base>/results/{task_id}/{token}/{n}}. Two facts kept in the
 * task's {@code request} at submit make them: {@code base} (the gateway's public base URL, else the submitting
 * request's host — so a webhook, sent with no request at hand, still names the gateway) and {@code result_token}
 * (128 random bits: the link is unguessable, so it needs no key — a webhook receiver or a {@code <video>} tag can
 * load it, as they could the provider's CDN link).
 */
public final class ResultLinks {

    /** The route the links point at. */
    public static final String PATH = "/results/";
    static final String BASE = "base";
    static final String TOKEN = "result_token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ResultLinks() {}

    /** 128 random bits, hex: a result token, or any other secret a family keeps in a task's facts. */
    public static String token() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Puts a new task's link facts ({@code base}, {@code result_token}) into its request {@code facts}. */
    public static ObjectNode addFacts(ObjectNode facts, String publicBaseUrl, ClientRequest request) {
        return addFacts(facts, base(publicBaseUrl, request));
    }

    /** Puts a new task's link facts into its request {@code facts}, its links' {@code base} already known. */
    public static ObjectNode addFacts(ObjectNode facts, String base) {
        return facts.put(BASE, base).put(TOKEN, token());
    }

    /** The base of the links handed to the client of {@code request}: the configured one, else its host. */
    public static String base(String publicBaseUrl, ClientRequest request) {
        return base(publicBaseUrl, request.scheme(), request.authority(), request.headers().get("Host"),
                request.headers().get("X-Forwarded-Proto"));
    }

    public static String base(String publicBaseUrl, HttpServerRequest request) {
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

    /**
     * The link to result {@code n} of {@code task}, on {@code base} (the current request's; null: the one kept at
     * submit), or null for a task without link facts.
     */
    public static String link(Task task, String base, int n) {
        JsonNode facts = facts(task);
        String token = facts.path(TOKEN).asString("");
        String b = base != null ? base : facts.path(BASE).asString("");
        return token.isEmpty() || b.isEmpty() ? null : b + PATH + task.publicId() + "/" + token + "/" + n;
    }

    /** Whether {@code given} is the secret {@code task} keeps in its facts under {@code field}; in constant time. */
    public static boolean matches(Task task, String field, String given) {
        String kept = facts(task).path(field).asString("");
        return !kept.isEmpty() && MessageDigest.isEqual(kept.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    static boolean tokenMatches(Task task, String given) {
        return matches(task, TOKEN, given);
    }

    private static JsonNode facts(Task task) {
        return task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
    }
}
