package dev.antler.openai.realtime;

import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.relay.BodyReader;
import dev.antler.relay.Relay;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ephemeral keys for browsers: {@code POST /v1/realtime/client_secrets} (and the older {@code /v1/realtime/sessions})
 * mints a gateway key bound to the caller's key — its user, limits and allowed models — that opens one realtime
 * session within its expiry and is then spent. The upstream is never asked for a secret of its own, so none can
 * reach the client. Kept in this process's memory: a gateway restart voids the keys not yet used.
 */
public final class RealtimeSecrets {

    static final String PREFIX = "ek_";
    static final long DEFAULT_TTL_S = 600;
    static final long MIN_TTL_S = 10;
    static final long MAX_TTL_S = 7_200;
    private static final long MAX_BODY = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Minted(String boundKey, long expiresAtMs) {}

    private final Relay relay;
    private final Clock clock;
    private final Map<String, Minted> live = new ConcurrentHashMap<>();

    public RealtimeSecrets(Relay relay) {
        this.relay = relay;
        this.clock = relay.services().clock();
    }

    boolean isEphemeral(String presented) {
        return presented != null && presented.startsWith(PREFIX);
    }

    /** The key an unexpired, unused ephemeral key stands for, spending it; a 401 otherwise. */
    Future<String> redeem(String ephemeral) {
        Minted minted = live.remove(ephemeral);
        if (minted == null || minted.expiresAtMs() <= clock.millis()) {
            return Future.failedFuture(GatewayException.unauthorized(
                    "ephemeral key: unknown, expired or already used (expected: a fresh key from POST "
                            + "/v1/realtime/client_secrets, good for one session)"));
        }
        return Future.succeededFuture(minted.boundKey());
    }

    /** {@code legacy}: answer as {@code /v1/realtime/sessions} did ({@code client_secret.value}). */
    public void mint(Exchange exchange, boolean legacy) {
        String key = ClientKey.of(exchange.request());
        try {
            BodyReader.declaredLength(exchange.request(), MAX_BODY);
        } catch (GatewayException e) {
            exchange.fail(e);
            return;
        }
        exchange.request().body().onFailure(exchange::fail).onSuccess(body -> {
            if (isEphemeral(key)) {
                exchange.fail(GatewayException.unauthorized("an ephemeral key cannot mint another (expected: the"
                        + " application's own key)"));
                return;
            }
            relay.authenticate(key).onFailure(exchange::fail).onSuccess(principal -> {
                try {
                    answer(exchange, principal, key, body, legacy);
                } catch (RuntimeException e) {
                    exchange.fail(e);
                }
            });
        });
    }

    private void answer(Exchange exchange, Principal principal, String key, Buffer body, boolean legacy) {
        if (body.length() > MAX_BODY) {
            throw GatewayException.tooLarge("body: " + body.length() + " bytes (expected: at most " + MAX_BODY + ")");
        }
        ObjectNode request = body.length() == 0 ? Json.object() : Json.objectOrNull(body.getBytes());
        if (request == null) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: {\"session\":"
                    + " {\"type\": \"realtime\", \"model\": \"gpt-realtime\"}})");
        }
        long ttl = ttl(request.path("expires_after"));
        JsonNode session = legacy ? request : request.path("session");
        String model = session.path("model").asString(null);
        if (model != null && !principal.key().allows(model)) {
            throw GatewayException.forbidden("model_not_allowed", "session.model: " + model
                    + " (expected: one of the models this key may use)");
        }
        sweep();
        String ephemeral = PREFIX + token();
        long now = clock.millis();
        long expiresAt = now + ttl * 1000;
        live.put(ephemeral, new Minted(key, expiresAt));
        ObjectNode answer = Json.object();
        ObjectNode echoed = session.isObject() ? ((ObjectNode) session).deepCopy() : Json.object();
        if (legacy) {
            answer.put("id", "sess_" + token().substring(0, 20));
            answer.put("object", "realtime.session");
            answer.setAll(echoed);
            ObjectNode secret = answer.putObject("client_secret");
            secret.put("value", ephemeral);
            secret.put("expires_at", expiresAt / 1000);
        } else {
            answer.put("value", ephemeral);
            answer.put("expires_at", expiresAt / 1000);
            if (!echoed.has("type")) {
                echoed.put("type", "realtime");
            }
            answer.set("session", echoed);
        }
        exchange.json(200, Buffer.buffer(Json.bytes(answer)));
    }

    private static long ttl(JsonNode expiresAfter) {
        if (!expiresAfter.isObject() || !expiresAfter.has("seconds")) {
            return DEFAULT_TTL_S;
        }
        JsonNode seconds = expiresAfter.path("seconds");
        if (!seconds.isIntegralNumber() || seconds.asLong() < MIN_TTL_S || seconds.asLong() > MAX_TTL_S) {
            throw GatewayException.badRequest("invalid_expires_after", "expires_after.seconds: " + seconds
                    + " (expected: a whole number from " + MIN_TTL_S + " to " + MAX_TTL_S + ")");
        }
        return seconds.asLong();
    }

    private void sweep() {
        long now = clock.millis();
        live.values().removeIf(m -> m.expiresAtMs() <= now);
    }

    private static String token() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
