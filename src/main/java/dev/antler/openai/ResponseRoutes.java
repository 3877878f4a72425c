package dev.antler.openai;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.openai.StoredResponseCall.Action;
import dev.antler.openai.StoredResponseCall.Target;
import dev.antler.relay.Intent;
import dev.antler.relay.Relay;
import dev.antler.routing.Channel;
import io.vertx.core.http.HttpMethod;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code GET}, {@code DELETE} {@code /v1/responses/{id}}, {@code POST /v1/responses/{id}/cancel} and
 * {@code GET /v1/responses/{id}/input_items}: authenticated, then — for the caller's own response only (another
 * user's id is a 404, like an unknown one, in OpenAI's envelope) — relayed to the channel that created it
 * ({@link ResponseOwners}), free of charge and logged like every relayed call.
 */
final class ResponseRoutes {

    static final String PREFIX = "/v1/responses/";

    private final Relay relay;
    private final ResponseOwners owners;
    private final Map<Action, StoredResponseCall> calls = new EnumMap<>(Action.class);

    ResponseRoutes(Relay relay, ResponseOwners owners) {
        this.relay = requireNonNull(relay, "relay");
        this.owners = requireNonNull(owners, "owners");
        for (Action action : Action.values()) {
            calls.put(action, new StoredResponseCall(action));
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
        relay.authenticated(ClientKey.of(exchange.request()), principal -> {
                    ResponseOwners.Owner owner = owners.find(id)
                            .filter(o -> o.userId() == principal.user().id())
                            .orElseThrow(() -> notFound(id));
                    Channel channel = relay.services().channels().find(owner.channelId())
                            .orElseThrow(() -> GatewayException.notFound("response_not_found", "response_id: " + id
                                    + " (the channel that created it no longer exists)"));
                    return new Found(principal, owner, channel);
                })
                .onSuccess(found -> {
                    boolean stream = action == Action.RETRIEVE && "true".equals(exchange.request().getParam("stream"));
                    String model = found.owner().model() == null ? "unknown" : found.owner().model();
                    relay.relayTo(exchange, calls.get(action), found.principal(),
                            new Intent<>(model, stream, new Target(id, exchange.request().query())), found.channel());
                })
                .onFailure(exchange::fail);
    }

    private record Found(dev.antler.accounts.Principal principal, ResponseOwners.Owner owner, Channel channel) {}

    /** The call a method and path suffix ask for: 404 for a path the Responses API does not have, 405 for a method. */
    private static Action action(HttpMethod method, String suffix, String id) {
        if (id.isEmpty()) {
            throw notFound(id);
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

    private static GatewayException notFound(String id) {
        return GatewayException.notFound("response_not_found", "response_id: " + id
                + " (expected: the id of a response this key's user created through this gateway)");
    }
}
