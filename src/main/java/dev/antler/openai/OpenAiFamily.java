package dev.antler.openai;

import dev.antler.accounts.Principal;
import dev.antler.anthropic.AnthropicErrorFormat;
import dev.antler.anthropic.AnthropicModels;
import dev.antler.billing.Price;
import dev.antler.core.GatewayException;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.http.ClientKey;
import dev.antler.http.ErrorFormat;
import dev.antler.http.Exchange;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.http.Routes;
import dev.antler.images.ImageFetch;
import dev.antler.images.ImagesChoice;
import dev.antler.json.Json;
import dev.antler.openai.realtime.RealtimeEndpoint;
import dev.antler.openai.realtime.RealtimeSecrets;
import dev.antler.relay.Operation;
import dev.antler.relay.Relay;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The OpenAI family: the relayed OpenAI-format operations and the local model list. */
public final class OpenAiFamily implements Family {

    /** OpenAI and OpenAI-compatible upstreams: the key as a bearer token; no default base URL. */
    static final ChannelType CHANNEL_TYPE = new ChannelType("openai", null, UpstreamAuth.bearer(),
            OpenAiProbe::request);
    /** Chat completions reach models of anthropic channels too, translated: they are listed as well. */
    static final Set<String> CHANNEL_TYPES = AnthropicModels.CHANNEL_TYPES;
    private static final long CREATED = 1_700_000_000L;

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return OpenAiErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return OpenAiPrices.table();
    }

    @Override
    public void mount(FamilyContext context) {
        Routes routes = context.routes();
        Relay relay = context.relay();
        ResponseOwners owners = new ResponseOwners(context.database(), relay.services().clock(), context.blocking());
        Map<OpenAiEndpoint, Operation<?>> operations = OpenAiOperations.all(owners);
        operations.forEach((endpoint, operation) -> {
            if (endpoint != OpenAiEndpoint.IMAGE_GENERATIONS) {
                routes.add(HttpMethod.POST, endpoint.path(), OpenAiErrorFormat.INSTANCE,
                        exchange -> relay.handle(exchange, operation));
            }
        });
        // Image models of other families answer here too, as OpenAI's images (each family's dialect).
        ImagesChoice images = new ImagesChoice(operations.get(OpenAiEndpoint.IMAGE_GENERATIONS), context.imageDialects(),
                relay.services(), new ImageFetch(relay.services().vertx(), relay.services().upstream(),
                context.guard()));
        routes.add(HttpMethod.POST, OpenAiEndpoint.IMAGE_GENERATIONS.path(), OpenAiErrorFormat.INSTANCE,
                exchange -> relay.handle(exchange, images));
        routes.prefix(ResponseRoutes.PREFIX, OpenAiErrorFormat.INSTANCE, new ResponseRoutes(relay, owners)::handle);
        // new-api's alias for image edits
        Operation<?> edits = operations.get(OpenAiEndpoint.IMAGE_EDITS);
        routes.add(HttpMethod.POST, "/v1/edits", OpenAiErrorFormat.INSTANCE, exchange -> relay.handle(exchange, edits));
        // Asked the Anthropic way, the model routes answer (errors included) in Anthropic's shapes.
        routes.add(HttpMethod.GET, "/v1/models", OpenAiErrorFormat.INSTANCE,
                exchange -> listModels(inAskedEnvelope(exchange), relay));
        routes.prefix("/v1/models/", OpenAiErrorFormat.INSTANCE, exchange -> oneModel(inAskedEnvelope(exchange), relay));
        RealtimeSecrets secrets = new RealtimeSecrets(relay, context.database());
        RealtimeEndpoint realtime = new RealtimeEndpoint(relay, secrets);
        routes.add(HttpMethod.GET, RealtimeEndpoint.PATH, OpenAiErrorFormat.INSTANCE, realtime::handle);
        routes.add(HttpMethod.POST, "/v1/realtime/client_secrets", OpenAiErrorFormat.INSTANCE,
                exchange -> secrets.mint(exchange, false));
        routes.add(HttpMethod.POST, "/v1/realtime/sessions", OpenAiErrorFormat.INSTANCE,
                exchange -> secrets.mint(exchange, true));
    }

    private static Exchange inAskedEnvelope(Exchange exchange) {
        return AnthropicModels.wanted(exchange.request()) ? exchange.withErrors(AnthropicErrorFormat.INSTANCE) : exchange;
    }

    /** The models the calling key may use: served to its group, and allowed for the key. */
    static Set<String> visibleModels(Principal principal, Relay relay) {
        Set<String> models = new TreeSet<>(relay.services().channels().models(principal.user().group(), CHANNEL_TYPES));
        if (!principal.key().allowedModels().isEmpty()) {
            models.retainAll(principal.key().allowedModels());
        }
        return models;
    }

    private static void listModels(Exchange exchange, Relay relay) {
        relay.authenticate(ClientKey.of(exchange.request())).onSuccess(principal -> {
            if (AnthropicModels.wanted(exchange.request())) {
                try {
                    exchange.json(200, Buffer.buffer(Json.bytes(
                            AnthropicModels.list(visibleModels(principal, relay), exchange.request()))));
                } catch (RuntimeException e) {
                    exchange.fail(e); // a bad limit: answered, not left hanging
                }
                return;
            }
            ObjectNode root = Json.object();
            root.put("object", "list");
            ArrayNode data = root.putArray("data");
            for (String model : visibleModels(principal, relay)) {
                data.add(model(model));
            }
            exchange.json(200, Buffer.buffer(Json.bytes(root)));
        }).onFailure(exchange::fail);
    }

    private static void oneModel(Exchange exchange, Relay relay) {
        String id = exchange.request().path().substring("/v1/models/".length());
        relay.authenticate(ClientKey.of(exchange.request())).onSuccess(principal -> {
            if (exchange.request().method() != HttpMethod.GET) {
                exchange.fail(new GatewayException(405, dev.antler.core.ErrorKind.INVALID_REQUEST, "method_not_allowed",
                        exchange.request().method() + " /v1/models/{model} (expected: GET)"));
            } else if (visibleModels(principal, relay).contains(id)) {
                exchange.json(200, Buffer.buffer(Json.bytes(AnthropicModels.wanted(exchange.request())
                        ? AnthropicModels.model(id) : model(id))));
            } else {
                exchange.fail(GatewayException.notFound("model_not_found",
                        "model: " + id + " (expected: one of the models GET /v1/models lists for this key)"));
            }
        }).onFailure(exchange::fail);
    }

    private static ObjectNode model(String id) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("object", "model");
        node.put("created", CREATED);
        node.put("owned_by", "antler");
        return node;
    }
}
