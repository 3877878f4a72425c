package dev.antler.anthropic;

import dev.antler.billing.Usage;
import dev.antler.json.Json;
import dev.antler.json.JsonUsageTap;
import dev.antler.relay.ResponseTap;
import dev.antler.sse.SseEvent;
import dev.antler.tokens.TokenEstimator;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads what to bill from an Anthropic answer relayed unchanged: the top-level {@code usage} of a
 * message, or in a stream {@code message_start}'s {@code message.usage} updated by each
 * {@code message_delta}'s {@code usage} (whose {@code output_tokens} is the running total).
 * count_tokens is free. Without usage, tokens are estimated from the request and the generated text
 * (of the events, or of the message's content blocks).
 */
final class AnthropicTap implements ResponseTap {

    private final MessagesRequest request;
    private final boolean countTokens;
    private final JsonUsageTap body = new JsonUsageTap(Set.of(), Set.of("content"));
    private final StringBuilder generated = new StringBuilder();
    private Usage streamUsage;
    private boolean streamEnded;

    AnthropicTap(MessagesRequest request, boolean countTokens) {
        this.request = request;
        this.countTokens = countTokens;
    }

    @Override
    public void onBytes(byte[] chunk, int offset, int length) {
        body.feed(chunk, offset, length);
    }

    @Override
    public boolean onEvent(SseEvent event) {
        if (event.data() == null || event.data().isEmpty()) {
            return true;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(event.data());
        } catch (RuntimeException e) {
            return true;
        }
        switch (node.path("type").asString("")) {
            case "message_start" -> streamUsage = AnthropicUsage.merge(streamUsage, node.path("message").path("usage"));
            case "message_delta" -> streamUsage = AnthropicUsage.merge(streamUsage, node.path("usage"));
            case "content_block_delta" -> {
                JsonNode delta = node.path("delta");
                generated.append(delta.path("text").asString("")).append(delta.path("partial_json").asString(""))
                        .append(delta.path("thinking").asString(""));
            }
            case "message_stop" -> streamEnded = true;
            default -> { }
        }
        return true;
    }

    @Override
    public boolean streamEndRendered() {
        return streamEnded;
    }

    @Override
    public boolean meterMayCount() {
        return !countTokens && streamUsage == null && body.usage().isEmpty();
    }

    @Override
    public Metered meter() {
        if (countTokens) {
            return Metered.fromRequest(Usage.NONE);
        }
        if (streamUsage != null) {
            return Metered.reported(streamUsage);
        }
        body.finish();
        if (body.usage().isPresent()) {
            return Metered.reported(AnthropicUsage.from(body.usage().get()));
        }
        return Metered.estimated(Usage.tokens(promptEstimate(request),
                TokenEstimator.count(generated) + body.answerTokens(Blocks::appendGenerated)));
    }

    static long promptEstimate(MessagesRequest request) {
        return TokenEstimator.countStrings(request.tree().path("system"))
                + TokenEstimator.countStrings(request.tree().path("messages"));
    }
}
