package dev.antler.anthropic;

import dev.antler.billing.Usage;
import dev.antler.json.Json;
import dev.antler.json.JsonUsageTap;
import dev.antler.openai.AnswerText;
import dev.antler.openai.OpenAiUsage;
import dev.antler.relay.ResponseRewriter;
import dev.antler.relay.ResponseTap;
import dev.antler.sse.SseEvent;
import dev.antler.tokens.TokenEstimator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answer of an OpenAI-format channel to a translated Messages request, for an Anthropic client:
 * a chat completion becomes a message; chat chunks become Anthropic's event sequence
 * ({@code message_start}, {@code content_block_start/delta/stop} per text or tool-use block,
 * {@code message_delta} with the stop reason and usage, {@code message_stop}). The last two are sent
 * only on the upstream's {@code [DONE]}, so a cut stream never ends as if complete. Bills the
 * upstream's usage (the gateway always asks for it), else an estimate.
 */
final class ChatToMessagesTap implements ResponseTap {

    private final MessagesRequest request;
    private final JsonUsageTap body = new JsonUsageTap(Set.of(), Set.of("choices"));
    private final StringBuilder generated = new StringBuilder();
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();
    private Usage usage;
    private String messageId = "msg_antler";
    private boolean started;
    private int blocks;
    private int open = -1;
    private boolean openIsText;
    private String finishReason;
    private boolean stopped;
    /** {@code [DONE]} came before any usage: the end is rendered once the answer is metered. */
    private boolean donePending;

    ChatToMessagesTap(MessagesRequest request) {
        this.request = request;
    }

    @Override
    public void onBytes(byte[] chunk, int offset, int length) {
        body.feed(chunk, offset, length);
    }

    @Override
    public ResponseRewriter rewriter() {
        return new Translated(completion -> Answers.toMessage(completion, request.model()));
    }

    @Override
    public byte[] render(SseEvent event) {
        SseOut out = new SseOut();
        String data = event.data();
        if (data == null || data.isEmpty()) {
            return out.bytes();
        }
        if (data.equals("[DONE]")) {
            if (usage == null) { // the end reports an estimate, counted off the event loop: see renderEnd
                donePending = true;
                return out.bytes();
            }
            return finish(out, usage).bytes();
        }
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(data);
        } catch (RuntimeException e) {
            return out.bytes();
        }
        if (chunk.path("error").isObject()) {
            ObjectNode error = Json.object().put("type", "error");
            error.putObject("error").put("type", "api_error")
                    .put("message", chunk.path("error").path("message").asString("upstream error"));
            return out.named(error).bytes();
        }
        if (!started) {
            start(chunk, out);
        }
        if (chunk.path("usage").isObject()) {
            usage = OpenAiUsage.from(chunk.path("usage"));
        }
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            String text = delta.path("content").asString("");
            if (!text.isEmpty()) {
                if (open < 0 || !openIsText) {
                    openBlock(out, Json.object().put("type", "text").put("text", ""), true);
                }
                generated.append(text);
                out.named(delta(open).set("delta", Json.object().put("type", "text_delta").put("text", text)));
            }
            for (JsonNode call : delta.path("tool_calls")) {
                toolCall(call, out);
            }
            if (choice.path("finish_reason").isString()) {
                finishReason = choice.path("finish_reason").stringValue();
            }
        }
        return out.bytes();
    }

    @Override
    public boolean streamEndRendered() {
        return stopped;
    }

    /**
     * The end of a stream whose {@code [DONE]} came without usage, with the estimate; and of an upstream that gave a
     * finish reason but ended without {@code [DONE]}, which still finished: say so.
     */
    @Override
    public byte[] renderEnd(Metered metered) {
        if ((!donePending && finishReason == null) || stopped) {
            return NOTHING;
        }
        Usage reported = usage != null ? usage : Usage.tokens(0, metered.usage().completionTokens());
        return finish(new SseOut(), reported).bytes();
    }

    private void start(JsonNode chunk, SseOut out) {
        started = true;
        messageId = Answers.messageId(chunk.path("id").asString("antler"));
        ObjectNode message = Json.object().put("id", messageId).put("type", "message").put("role", "assistant")
                .put("model", request.model());
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", AnthropicUsage.toJson(Usage.NONE));
        out.named(Json.object().put("type", "message_start").set("message", message));
    }

    private void toolCall(JsonNode call, SseOut out) {
        int index = call.path("index").asInt(0);
        Integer block = toolBlocks.get(index);
        if (block == null) {
            ObjectNode toolUse = Json.object().put("type", "tool_use").put("id", call.path("id").asString("toolu_" + index))
                    .put("name", call.path("function").path("name").asString(""));
            toolUse.putObject("input");
            openBlock(out, toolUse, false);
            toolBlocks.put(index, open);
            block = open;
        }
        String arguments = call.path("function").path("arguments").asString("");
        if (!arguments.isEmpty() && block == open) {
            generated.append(arguments);
            out.named(delta(block).set("delta",
                    Json.object().put("type", "input_json_delta").put("partial_json", arguments)));
        }
    }

    private void openBlock(SseOut out, ObjectNode contentBlock, boolean text) {
        closeBlock(out);
        open = blocks++;
        openIsText = text;
        out.named(Json.object().put("type", "content_block_start").put("index", open).set("content_block", contentBlock));
    }

    private void closeBlock(SseOut out) {
        if (open >= 0) {
            out.named(Json.object().put("type", "content_block_stop").put("index", open));
            open = -1;
        }
    }

    private static ObjectNode delta(int index) {
        return Json.object().put("type", "content_block_delta").put("index", index);
    }

    private SseOut finish(SseOut out, Usage reported) {
        stopped = true;
        if (!started) {
            start(Json.object(), out);
        }
        closeBlock(out);
        ObjectNode delta = Json.object().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", Answers.stopReason(finishReason)).putNull("stop_sequence");
        delta.set("usage", AnthropicUsage.toJson(reported));
        out.named(delta);
        return out.named(Json.object().put("type", "message_stop"));
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
            return Metered.reported(OpenAiUsage.from(body.usage().get()));
        }
        return Metered.estimated(Usage.tokens(AnthropicTap.promptEstimate(request),
                TokenEstimator.count(generated) + body.answerTokens(AnswerText::append)));
    }
}
