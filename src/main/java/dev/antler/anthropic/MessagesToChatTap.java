package dev.antler.anthropic;

import dev.antler.billing.Usage;
import dev.antler.json.Json;
import dev.antler.json.JsonUsageTap;
import dev.antler.relay.ResponseRewriter;
import dev.antler.relay.ResponseTap;
import dev.antler.sse.SseEvent;
import dev.antler.tokens.TokenEstimator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answer of an {@code anthropic} channel to a translated chat completions request, for an OpenAI
 * client: a message becomes a chat completion; Anthropic's events become chat chunks (text deltas,
 * tool calls with streamed argument deltas, the finish reason, the usage chunk when the client asked
 * for it) and {@code message_stop} becomes {@code [DONE]}, so a cut stream never ends as complete.
 */
final class MessagesToChatTap implements ResponseTap {

    private final String model;
    /** The client's chat request, read again only to estimate its prompt when no usage comes. */
    private final byte[] chatRequest;
    private final boolean clientWantsUsage;
    private final long created;
    private final JsonUsageTap body = new JsonUsageTap(Set.of(), Set.of("content"));
    private final StringBuilder generated = new StringBuilder();
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private String id = "chatcmpl-antler";
    private Usage usage;
    private boolean stopReasonSeen;
    private boolean done;
    /** {@code message_stop} came before any usage the client asked for: the end is rendered once metered. */
    private boolean stopPending;

    MessagesToChatTap(String model, byte[] chatRequest, boolean clientWantsUsage, long created) {
        this.model = model;
        this.chatRequest = chatRequest;
        this.clientWantsUsage = clientWantsUsage;
        this.created = created;
    }

    @Override
    public void onBytes(byte[] chunk, int offset, int length) {
        body.feed(chunk, offset, length);
    }

    @Override
    public ResponseRewriter rewriter() {
        return new Translated(message -> Answers.toCompletion(message, model, created));
    }

    @Override
    public byte[] render(SseEvent event) {
        SseOut out = new SseOut();
        if (event.data() == null || event.data().isEmpty()) {
            return out.bytes();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(event.data());
        } catch (RuntimeException e) {
            return out.bytes();
        }
        switch (node.path("type").asString("")) {
            case "message_start" -> {
                JsonNode message = node.path("message");
                id = "chatcmpl-" + message.path("id").asString("antler");
                usage = AnthropicUsage.merge(usage, message.path("usage"));
                out.data(chunk(Json.object().put("role", "assistant").put("content", ""), null));
            }
            case "content_block_start" -> {
                JsonNode block = node.path("content_block");
                if (block.path("type").asString("").equals("tool_use")) {
                    int toolIndex = toolIndexByBlock.size();
                    toolIndexByBlock.put(node.path("index").asInt(), toolIndex);
                    ObjectNode call = Json.object().put("index", toolIndex).put("id", block.path("id").asString())
                            .put("type", "function");
                    call.putObject("function").put("name", block.path("name").asString()).put("arguments", "");
                    out.data(chunk(toolCalls(call), null));
                }
            }
            case "content_block_delta" -> delta(node, out);
            case "message_delta" -> {
                usage = AnthropicUsage.merge(usage, node.path("usage"));
                String stop = node.path("delta").path("stop_reason").asString(null);
                stopReasonSeen |= stop != null;
                out.data(chunk(Json.object(), Answers.finishReason(stop)));
            }
            case "message_stop" -> {
                if (clientWantsUsage && usage == null) { // the usage is an estimate, counted off the event loop
                    stopPending = true;
                } else {
                    end(out, usage);
                }
            }
            case "error" -> {
                ObjectNode error = Json.object();
                error.putObject("error").put("message", node.path("error").path("message").asString("upstream error"))
                        .put("type", node.path("error").path("type").asString("api_error")).putNull("param")
                        .putNull("code");
                out.data(error);
            }
            default -> { } // ping, content_block_stop: nothing to say in the chat format
        }
        return out.bytes();
    }

    private void end(SseOut out, Usage reported) {
        done = true;
        if (clientWantsUsage) {
            ObjectNode last = chunk(Json.object(), null);
            last.putArray("choices");
            last.set("usage", AnthropicUsage.toOpenAi(reported));
            out.data(last);
        }
        out.done();
    }

    @Override
    public boolean streamEndRendered() {
        return done;
    }

    /**
     * The end of a stream whose {@code message_stop} came without usage for the client who asked for it, with the
     * estimate; and of an upstream that gave its stop reason but ended without {@code message_stop}, which still
     * finished: say so.
     */
    @Override
    public byte[] renderEnd(Metered metered) {
        SseOut out = new SseOut();
        if ((stopPending || stopReasonSeen) && !done) {
            end(out, usage != null ? usage : metered.usage());
        }
        return out.bytes();
    }

    private void delta(JsonNode node, SseOut out) {
        JsonNode delta = node.path("delta");
        switch (delta.path("type").asString("")) {
            case "text_delta" -> {
                generated.append(delta.path("text").asString(""));
                out.data(chunk(Json.object().put("content", delta.path("text").asString("")), null));
            }
            case "input_json_delta" -> {
                Integer toolIndex = toolIndexByBlock.get(node.path("index").asInt());
                String json = delta.path("partial_json").asString("");
                if (toolIndex != null && !json.isEmpty()) {
                    generated.append(json);
                    ObjectNode call = Json.object().put("index", toolIndex);
                    call.putObject("function").put("arguments", json);
                    out.data(chunk(toolCalls(call), null));
                }
            }
            // the client's format cannot carry thinking, but it was generated (and is billed) all the same
            case "thinking_delta" -> generated.append(delta.path("thinking").asString(""));
            default -> { } // signature deltas
        }
    }

    private static ObjectNode toolCalls(ObjectNode call) {
        ObjectNode delta = Json.object();
        delta.putArray("tool_calls").add(call);
        return delta;
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    @Override
    public boolean meterMayCount() {
        return usage == null && body.usage().isEmpty();
    }

    @Override
    public Metered meter() {
        if (usage != null) {
            return Metered.reported(usage);
        }
        body.finish();
        if (body.usage().isPresent()) {
            return Metered.reported(AnthropicUsage.from(body.usage().get()));
        }
        return Metered.estimated(Usage.tokens(TokenEstimator.countStrings(chatRequest, Set.of("messages")),
                TokenEstimator.count(generated) + body.answerTokens(Blocks::appendGenerated)));
    }
}
