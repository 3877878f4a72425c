package dev.antler.openai;

import dev.antler.billing.Usage;
import dev.antler.json.Json;
import dev.antler.json.JsonScan;
import dev.antler.json.JsonUsageTap;
import dev.antler.relay.ResponseTap;
import dev.antler.sse.SseEvent;
import dev.antler.tokens.TokenEstimator;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Reads what to bill from an OpenAI-format answer: the usage object of a JSON body, or of a stream's
 * events (the {@code include_usage} chunk, or {@code response.completed} of the Responses API), the
 * number of images returned, and the generated text (of the events, or of the body's choices or output)
 * for an estimate when no usage came. For the Responses API it also hands on the response's id as soon as it
 * shows (the body's top-level {@code id}, or {@code response.created}'s), so later calls on it find their channel.
 */
final class OpenAiTap implements ResponseTap {

    /** The last event of a Responses API stream, which has no {@code [DONE]}. */
    static final Set<String> RESPONSE_ENDS = Set.of("response.completed", "response.failed",
            "response.incomplete");
    /** Where a request's prompt text is, for a token estimate when the upstream reports no usage. */
    private static final Set<String> PROMPT_FIELDS = Set.of("messages", "prompt", "input", "instructions");

    private final OpenAiRequest request;
    private final JsonUsageTap body;
    private final StringBuilder generated = new StringBuilder();
    private Usage streamUsage;
    private boolean streamEnded;
    /** Told the answer's response id once; null when nobody asks (or once told). */
    private Consumer<String> responseIds;

    OpenAiTap(OpenAiRequest request) {
        this(request, null);
    }

    OpenAiTap(OpenAiRequest request, Consumer<String> responseIds) {
        this.request = request;
        this.responseIds = responseIds;
        this.body = request.endpoint().metering() == OpenAiEndpoint.Metering.CHARACTERS ? null
                : new JsonUsageTap(responseIds == null ? Set.of("duration") : Set.of("duration", "id"),
                        Set.of("choices", "output"));
    }

    @Override
    public void onBytes(byte[] chunk, int offset, int length) {
        if (body != null) {
            body.feed(chunk, offset, length);
            if (responseIds != null) {
                body.topLevelString("id").ifPresent(this::tellResponseId);
            }
        }
    }

    private void tellResponseId(String id) {
        Consumer<String> told = responseIds;
        responseIds = null;
        told.accept(id);
    }

    @Override
    public boolean onEvent(SseEvent event) {
        String data = event.data();
        if (data == null || data.isEmpty()) {
            return true;
        }
        if (data.equals("[DONE]")) {
            streamEnded = true;
            return true;
        }
        if (request.endpoint() == OpenAiEndpoint.CHAT && !JsonScan.hasObjectProperty(data, "usage")) {
            // The common chunk: no tree, only its text kept for an estimate should no usage come.
            JsonScan.appendStringValues(data, "content", generated);
            JsonScan.appendStringValues(data, "arguments", generated);
            return true;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(data);
        } catch (RuntimeException e) {
            return true;
        }
        String type = node.path("type").asString("");
        streamEnded |= RESPONSE_ENDS.contains(type);
        if (responseIds != null && type.equals("response.created") && node.path("response").path("id").isString()) {
            tellResponseId(node.path("response").path("id").stringValue());
        }
        JsonNode usage = node.path("usage");
        if (!usage.isObject()) {
            usage = node.path("response").path("usage");
        }
        if (usage.isObject()) {
            streamUsage = OpenAiUsage.from(usage);
        }
        collectText(node);
        // The usage-only chunk the gateway asked for on its own behalf is not the client's to see.
        return !(request.injectedUsage() && usage.isObject() && node.path("choices").isArray()
                && node.path("choices").isEmpty());
    }

    @Override
    public boolean streamEndRendered() {
        return streamEnded;
    }

    private void collectText(JsonNode node) {
        for (JsonNode choice : node.path("choices")) {
            append(choice.path("delta").path("content"));
            append(choice.path("text"));
            for (JsonNode call : choice.path("delta").path("tool_calls")) {
                append(call.path("function").path("arguments"));
            }
        }
        append(node.path("delta"));
    }

    private void append(JsonNode text) {
        if (text.isString()) {
            generated.append(text.stringValue());
        }
    }

    @Override
    public boolean meterMayCount() {
        OpenAiEndpoint.Metering metering = request.endpoint().metering();
        boolean noUsage = streamUsage == null && (body == null || body.usage().isEmpty());
        return metering == OpenAiEndpoint.Metering.AUDIO || metering == OpenAiEndpoint.Metering.TOKENS && noUsage;
    }

    @Override
    public Metered meter() {
        if (body != null) {
            body.finish();
        }
        Usage reported = reported();
        return switch (request.endpoint().metering()) {
            case CHARACTERS -> Metered.fromRequest(new Usage(request.characters(), 0, 0, 0, 0, 0));
            case CALL -> Metered.fromRequest(Usage.NONE);
            case IMAGES -> images(reported);
            case AUDIO -> audio(reported);
            case TOKENS -> reported != null ? Metered.reported(reported) : estimate();
        };
    }

    private Usage reported() {
        if (streamUsage != null || body == null) {
            return streamUsage;
        }
        return body.usage().map(OpenAiUsage::from).orElse(null);
    }

    private Metered images(Usage reported) {
        int returned = body == null ? -1 : body.dataArrayLength();
        long images = returned >= 0 ? returned : request.count();
        Usage tokens = reported == null ? Usage.NONE : reported;
        Usage usage = new Usage(tokens.promptTokens(), tokens.completionTokens(), tokens.cachedTokens(), 0, images, 0);
        return returned >= 0 ? Metered.reported(usage) : Metered.estimated(usage);
    }

    private Metered audio(Usage reported) {
        if (reported != null && (reported.seconds() > 0 || reported.promptTokens() > 0)) {
            return Metered.reported(reported);
        }
        Double duration = body == null ? null : body.topLevelNumber("duration").orElse(null);
        if (duration != null) {
            return Metered.reported(new Usage(0, 0, 0, 0, 0, (long) Math.ceil(duration)));
        }
        long seconds = Math.max(1, request.uploadBytes() / OpenAiOperations.AUDIO_BYTES_PER_SECOND);
        long tokens = TokenEstimator.count(generated);
        return Metered.estimated(new Usage(seconds * OpenAiOperations.AUDIO_TOKENS_PER_SECOND, tokens, 0, 0, 0, seconds));
    }

    private Metered estimate() {
        long prompt = 0;
        if (request.json() != null) {
            prompt = TokenEstimator.countStrings(request.json().body(), PROMPT_FIELDS);
        }
        long answer = TokenEstimator.count(generated) + body.answerTokens(AnswerText::append);
        return Metered.estimated(Usage.tokens(prompt, answer));
    }
}
