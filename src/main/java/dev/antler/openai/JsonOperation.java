package dev.antler.openai;

import dev.antler.anthropic.ChatOverAnthropic;
import dev.antler.billing.Price;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.json.JsonRequest;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.OutputLimit;
import dev.antler.relay.RequestBody;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.node.ObjectNode;

/** An OpenAI-format endpoint with a JSON body: chat, completions, responses, embeddings, images, speech, moderations. */
final class JsonOperation extends OpenAiOperation {

    private static final Set<String> KEEP = Set.of("stream", "stream_options", "max_tokens", "max_completion_tokens",
            "max_output_tokens", "n");
    private static final Set<String> KEEP_FOR_SPEECH = Set.of("input");
    private static final String DEFAULT_MODERATION_MODEL = "omni-moderation-latest";
    /** The output-limit field each endpoint's current API documents, for a request that names none. */
    private static final Map<OpenAiEndpoint, String> LIMIT_FIELDS = Map.of(OpenAiEndpoint.CHAT, "max_completion_tokens",
            OpenAiEndpoint.COMPLETIONS, "max_tokens", OpenAiEndpoint.RESPONSES, "max_output_tokens");

    /** Where the Responses API's answers are remembered; null for the other endpoints. */
    private final ResponseOwners owners;

    JsonOperation(OpenAiEndpoint endpoint) {
        this(endpoint, null);
    }

    JsonOperation(OpenAiEndpoint endpoint, ResponseOwners owners) {
        super(endpoint);
        this.owners = owners;
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<OpenAiRequest> inspect(ClientRequest request) {
        return read((RequestBody.InMemory) request.body());
    }

    private Intent<OpenAiRequest> read(RequestBody.InMemory memory) {
        byte[] bytes = memory.bytes();
        if (bytes.length == 0) {
            throw GatewayException.badRequest("missing_body", "request body: empty (expected: a JSON object)");
        }
        JsonRequest json = JsonRequest.parse(bytes, endpoint == OpenAiEndpoint.SPEECH ? KEEP_FOR_SPEECH : KEEP);
        String model = endpoint == OpenAiEndpoint.MODERATIONS && json.tokenOf("model") == null
                ? DEFAULT_MODERATION_MODEL : json.requiredString("model");
        requireFields(json);
        boolean stream = json.bool("stream");
        // max_completion_tokens, else max_tokens, else max_output_tokens; each one given is checked
        long maxOutput = -1;
        for (String field : new String[] {"max_output_tokens", "max_tokens", "max_completion_tokens"}) {
            maxOutput = json.integer(field, 1, OpenAiOperations.MAX_OUTPUT_TOKENS, maxOutput);
        }
        long count = json.integer("n", 1, endpoint.metering() == OpenAiEndpoint.Metering.IMAGES
                ? OpenAiOperations.MAX_IMAGES : OpenAiOperations.MAX_CHOICES, 1);
        long characters = endpoint == OpenAiEndpoint.SPEECH ? json.requiredString("input").length() : 0;
        boolean injectUsage = stream && (endpoint == OpenAiEndpoint.CHAT || endpoint == OpenAiEndpoint.COMPLETIONS)
                && !json.field("stream_options").path("include_usage").asBoolean(false);
        OpenAiRequest details = new OpenAiRequest(endpoint, json, Map.of(), maxOutput, count, characters, 0,
                injectUsage, null, memory);
        return new Intent<>(model, stream, details);
    }

    private void requireFields(JsonRequest json) {
        String required = switch (endpoint) {
            case CHAT -> "messages";
            case COMPLETIONS, IMAGE_GENERATIONS -> "prompt";
            case EMBEDDINGS, MODERATIONS, RESPONSES, SPEECH -> "input";
            default -> null;
        };
        if (required != null) {
            JsonToken token = json.tokenOf(required);
            if (token == null || token == JsonToken.VALUE_NULL) {
                throw GatewayException.badRequest("missing_" + required, required + ": missing (expected: "
                        + (endpoint == OpenAiEndpoint.CHAT ? "an array of messages" : "a value") + ")");
            }
            if (endpoint == OpenAiEndpoint.CHAT && token != JsonToken.START_ARRAY) {
                throw GatewayException.badRequest("invalid_messages",
                        "messages: " + JsonToken.valueDescFor(token) + " (expected: an array of messages)");
            }
        }
    }

    @Override
    public long holdEstimate(Intent<OpenAiRequest> intent, Price price, HoldBasis basis) {
        OpenAiRequest asked = intent.details();
        OpenAiRequest request = asked.withMaxOutput(basis.outputTokens(asked.maxOutput()));
        boolean promptPriced = endpoint.metering() == OpenAiEndpoint.Metering.TOKENS
                || (endpoint.metering() == OpenAiEndpoint.Metering.IMAGES && price.perImage() == null);
        long prompt = promptPriced
                ? OpenAiPrompt.tokens(request.json().body(), intent.model(), basis.billing(), basis.tokenizer()) : 0;
        return OpenAiOperations.holdEstimate(request, prompt, price);
    }

    @Override
    public OutputLimit<OpenAiRequest> outputLimit(Intent<OpenAiRequest> intent, HoldBasis basis) {
        if (!LIMIT_FIELDS.containsKey(endpoint)) {
            return null;
        }
        OpenAiRequest request = intent.details();
        return new OutputLimit<>(limitFields(request).get(0), basis.outputTokens(request.maxOutput()), request.count(),
                tokens -> lowered(request, tokens));
    }

    /** Lowers every output-limit field the request gives (or adds the endpoint's own) to {@code tokens}. */
    private Intent<OpenAiRequest> lowered(OpenAiRequest request, long tokens) {
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(request.json().body());
        limitFields(request).forEach(field -> tree.put(field, tokens));
        return read(RequestBody.InMemory.rewritten(Json.bytes(tree)));
    }

    /** The output-limit fields the request gives, the one that counts first; else the endpoint's own. */
    private List<String> limitFields(OpenAiRequest request) {
        List<String> given = Stream.of("max_completion_tokens", "max_tokens", "max_output_tokens")
                .filter(name -> request.json().tokenOf(name) != null).toList();
        return given.isEmpty() ? List.of(LIMIT_FIELDS.get(endpoint)) : given;
    }

    @Override
    public Set<String> translatedChannelTypes() {
        return endpoint == OpenAiEndpoint.CHAT ? ChatOverAnthropic.CHANNEL_TYPES : Set.of();
    }

    @Override
    public void checkTranslatable(Intent<OpenAiRequest> intent) {
        OpenAiRequest request = intent.details();
        request.inMemory().reserveTree(); // translating parses the request into a tree and writes a new body
        ChatOverAnthropic.check(request.json().body(), intent.model());
    }

    @Override
    public ResponseTap newTap(Intent<OpenAiRequest> intent, Channel channel) {
        OpenAiRequest request = intent.details();
        return ChatOverAnthropic.serves(channel)
                ? ChatOverAnthropic.tap(request.json().body(), intent.model(), intent.stream() && !request.injectedUsage(),
                        Clock.systemUTC())
                : super.newTap(intent, channel);
    }

    @Override
    public ResponseTap newTap(Intent<OpenAiRequest> intent, Channel channel, long userId) {
        if (owners == null || ChatOverAnthropic.serves(channel)) {
            return newTap(intent, channel);
        }
        return new OpenAiTap(intent.details(), id -> owners.record(id, userId, channel.id(), intent.model()));
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<OpenAiRequest> intent, Channel channel, ClientRequest client) {
        OpenAiRequest request = intent.details();
        if (ChatOverAnthropic.serves(channel)) {
            return ChatOverAnthropic.upstreamRequest(request.json().body(), intent.model(), channel, client.headers());
        }
        byte[] body = request.json().patched(channel.upstreamModel(intent.model()), request.injectedUsage());
        return UpstreamRequest.post(OpenAiUpstream.url(channel, endpoint.path()),
                OpenAiUpstream.headers(channel, client.headers(), "application/json"), new UpstreamRequest.Bytes(body));
    }
}
