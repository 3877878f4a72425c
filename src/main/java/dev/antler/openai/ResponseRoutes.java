package dev.antler.openai;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import dev.antler.openai.StoredResponseCall.Action;
import dev.antler.relay.Relay;
import io.vertx.core.http.HttpMethod;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code GET}, {@code DELETE} {@code /v1/responses/{id}}, {@code POST /v1/responses/{id}/cancel} and
 * {@code GET /v1/responses/{id}/input_items}: each path and method to its {@link StoredResponseCall}, relayed like
 * any operation — for the caller's own response only (another user's id is a 404, like an unknown one, in OpenAI's
 * envelope), to the channel that created it, free of charge and logged.
 */
final class ResponseRoutes {

    static final String PREFIX = "/v1/responses/";

    private final Relay relay;
    private final Map<Action, StoredResponseCall> calls = new EnumMap<>(Action.class);

    ResponseRoutes(Relay relay, ResponseOwners owners) {
        this.relay = requireNonNull(relay, "relay");
        for (Action action : Action.values()) {
            calls.put(action, new StoredResponseCall(action, owners, relay.services().channels()));
        }
    }

    void handle(Exchange exchange) {
        String rest = exchange.request().path().substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        Action action;
        try {
            action = action(exchange.request().method(), slash < 0 ? "" : rest.substring(slash), id);
        } catch (GatewayException e) {
            exchange.fail(e);
            return;
        }
        relay.handle(exchange, calls.get(action));
    }

    /** The call a method and path suffix ask for: 404 for a path the Responses API does not have, 405 for a method. */
    private static Action action(HttpMethod method, String suffix, String id) {
        if (id.isEmpty()) {
            throw StoredResponseCall.notFound(id);
        }
        for (Action action : Action.values()) {
            if (action.suffix.equals(suffix) && action.method.equals(method.name())) {
                return action;
            }
        }
        for (Action action : Action.values()) {
            if (action.suffix.equals(suffix)) {
                throw new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", method + " "
                        + PREFIX + "{id}" + suffix + " (expected: " + (suffix.isEmpty() ? "GET or DELETE" : action.method)
                        + ")");
            }
        }
        throw GatewayException.notFound("not_found", "no route for " + method + " " + PREFIX + id + suffix
                + " (expected: /v1/responses/{id}, /v1/responses/{id}/cancel or /v1/responses/{id}/input_items)");
    }
}
