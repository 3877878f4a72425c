package dev.antler.openai.realtime;

import dev.antler.accounts.Principal;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.relay.BodyReader;
import dev.antler.relay.Relay;
import dev.antler.store.Database;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ephemeral keys for browsers: {@code POST /v1/realtime/client_secrets} (and the older {@code /v1/realtime/sessions})
 * mints a gateway key bound to the caller's key — its user, limits and allowed models, and the session's model when
 * one is named — that opens one realtime session within its expiry and is then spent. The upstream is never asked
 * for a secret of its own, so none can reach the client. Kept in the store as a hash ({@link RealtimeSecretStore}):
 * single use holds across instances sharing the store and across restarts.
 */
public final class RealtimeSecrets {

    static final String PREFIX = "ek_";
    static final long DEFAULT_TTL_S = 600;
    static final long MIN_TTL_S = 10;
    static final long MAX_TTL_S = 7_200;
    private static final long MAX_BODY = 64 * 1024;
    /** The {@code Retry-After} of a mint or spend the store could not take. */
    static final long STORE_RETRY_AFTER_S = 5;
    private static final Logger log = LoggerFactory.getLogger(RealtimeSecrets.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Relay relay;
    private final Clock clock;
    private final RealtimeSecretStore store;

    public RealtimeSecrets(Relay relay, Database database) {
        this.relay = relay;
        this.clock = relay.services().clock();
        this.store = new RealtimeSecretStore(database, clock);
    }

    boolean isEphemeral(String presented) {
        return presented != null && presented.startsWith(PREFIX);
    }

    /** The principal of the key an unexpired, unused ephemeral key for {@code model} stands for, spending it; else 401. */
    Future<Principal> redeem(String ephemeral, String model) {
        return blocking(() -> stored("checked", () -> store.spend(ephemeral, model)))
                .compose(keyHash -> keyHash.isPresent() ? relay.authenticateHash(keyHash.get())
                        : Future.failedFuture(GatewayException.unauthorized("ephemeral key: unknown, expired, already"
                        + " used or minted for another model (expected: a fresh key from POST"
                        + " /v1/realtime/client_secrets, good for one session)")));
    }

    /**
     * {@code call} on the store, or a 503 {@code store_unavailable} when the store cannot answer (down, its disk
     * full): the client may retry, unlike after the 500 an unexpected failure gets.
     */
    private static <T> T stored(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (JdbiException e) {
            log.warn("realtime: an ephemeral key could not be {} in the store: {}", what, e.toString());
            throw new GatewayException(503, ErrorKind.SERVER, "store_unavailable", "store: the ephemeral key could"
                    + " not be " + what + ": the store cannot be read or written now (expected: retry after "
                    + STORE_RETRY_AFTER_S + " s)", STORE_RETRY_AFTER_S);
        }
    }

    /** {@code work} run off the event loop; completes on the caller's context. */
    private <T> Future<T> blocking(Supplier<T> work) {
        return Future.fromCompletionStage(CompletableFuture.supplyAsync(work, relay.services().blocking()),
                relay.services().vertx().getOrCreateContext());
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
            relay.authenticate(key).compose(principal -> blocking(() -> answer(principal, body, legacy)))
                    .onFailure(exchange::fail)
                    .onSuccess(answer -> exchange.json(200, Buffer.buffer(Json.bytes(answer))));
        });
    }

    /** The answer to a mint, the key recorded; blocking (the store). */
    private ObjectNode answer(Principal principal, Buffer body, boolean legacy) {
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
        String ephemeral = PREFIX + token();
        long expiresAt = clock.millis() + ttl * 1000;
        stored("recorded", () -> {
            store.mint(ephemeral, principal.key().id(), model, expiresAt);
            return null;
        });
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
        return answer;
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

    private static String token() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
