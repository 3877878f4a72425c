package dev.antler.openai;

import dev.antler.anthropic.ChatOverAnthropic;
import dev.antler.billing.Price;
import dev.antler.core.GatewayException;
import dev.antler.json.JsonRequest;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonToken;

/** An OpenAI-format endpoint with a JSON body: chat, completions, responses, embeddings, images, speech, moderations. */
final class JsonOperation extends OpenAiOperation {

    private static final Set<String> KEEP = Set.of("stream", "stream_options", "max_tokens", "max_completion_tokens",
            "max_output_tokens", "n");
    private static final Set<String> KEEP_FOR_SPEECH = Set.of("input");
    private static final String DEFAULT_MODERATION_MODEL = "omni-moderation-latest";

    JsonOperation(OpenAiEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent inspect(RequestBody body, HttpServerRequest request) {
        RequestBody.InMemory memory = (RequestBody.InMemory) body;
        byte[] bytes = memory.bytes();
        if (bytes.length == 0) {
            throw GatewayException.badRequest("missing_body", "request body: empty (expected: a JSON object)");
        }
        JsonRequest json = JsonRequest.parse(bytes, endpoint == OpenAiEndpoint.SPEECH ? KEEP_FOR_SPEECH : KEEP);
        String model = endpoint == OpenAiEndpoint.MODERATIONS && json.tokenOf("model") == null
                ? DEFAULT_MODERATION_MODEL : json.requiredString("model");
        requireFields(json);
        boolean stream = json.bool("stream");
        long maxOutput = json.nonNegativeLong("max_completion_tokens",
                json.nonNegativeLong("max_tokens", json.nonNegativeLong("max_output_tokens", -1)));
        long count = Math.max(1, json.nonNegativeLong("n", 1));
        long characters = endpoint == OpenAiEndpoint.SPEECH ? json.requiredString("input").length() : 0;
        boolean injectUsage = stream && (endpoint == OpenAiEndpoint.CHAT || endpoint == OpenAiEndpoint.COMPLETIONS)
                && !json.field("stream_options").path("include_usage").asBoolean(false);
        OpenAiRequest details = new OpenAiRequest(endpoint, json, Map.of(), maxOutput, count, characters, 0,
                injectUsage, null, memory);
        return new Intent(model, stream, details);
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
    public long holdEstimate(Intent intent, Price price, long defaultOutputTokens) {
        OpenAiRequest request = (OpenAiRequest) intent.details();
        if (request.maxOutput() < 0) {
            request = request.withMaxOutput(defaultOutputTokens);
        }
        return OpenAiOperations.holdEstimate(request, request.json().body().length, price);
    }

    @Override
    public Set<String> translatedChannelTypes() {
        return endpoint == OpenAiEndpoint.CHAT ? ChatOverAnthropic.CHANNEL_TYPES : Set.of();
    }

    @Override
    public void checkTranslatable(Intent intent) {
        OpenAiRequest request = (OpenAiRequest) intent.details();
        request.inMemory().reserveTree(); // translating parses the request into a tree and writes a new body
        ChatOverAnthropic.check(request.json().body(), intent.model());
    }

    @Override
    public ResponseTap newTap(Intent intent, Channel channel) {
        OpenAiRequest request = (OpenAiRequest) intent.details();
        return ChatOverAnthropic.serves(channel)
                ? ChatOverAnthropic.tap(request.json().body(), intent.model(), intent.stream() && !request.injectedUsage(),
                        Clock.systemUTC())
                : newTap(intent);
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent intent, Channel channel, HttpServerRequest client) {
        OpenAiRequest request = (OpenAiRequest) intent.details();
        if (ChatOverAnthropic.serves(channel)) {
            return ChatOverAnthropic.upstreamRequest(request.json().body(), intent.model(), channel, client);
        }
        byte[] body = request.json().patched(channel.upstreamModel(intent.model()), request.injectedUsage());
        return new UpstreamRequest(HttpMethod.POST, OpenAiUpstream.url(channel, endpoint.path()),
                OpenAiUpstream.headers(channel, client, "application/json"), new UpstreamRequest.Bytes(body));
    }
}
