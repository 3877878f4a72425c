package dev.antler.anthropic;

import dev.antler.billing.Usage;
import dev.antler.json.Json;
import dev.antler.openai.OpenAiUsage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Translates complete answers between a chat completion and an Anthropic message, and their stop reasons. */
final class Answers {

    private Answers() {}

    /** An OpenAI {@code chat.completion} as an Anthropic {@code message} for {@code model}. */
    static ObjectNode toMessage(JsonNode completion, String model) {
        ObjectNode message = Json.object();
        message.put("id", messageId(completion.path("id").asString("")));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        ArrayNode content = message.putArray("content");
        JsonNode choice = completion.path("choices").path(0);
        JsonNode text = choice.path("message").path("content");
        if (text.isString() && !text.stringValue().isEmpty()) {
            content.addObject().put("type", "text").put("text", text.stringValue());
        }
        for (JsonNode call : choice.path("message").path("tool_calls")) {
            ObjectNode block = content.addObject().put("type", "tool_use").put("id", call.path("id").asString())
                    .put("name", call.path("function").path("name").asString());
            block.set("input", arguments(call.path("function").path("arguments").asString("")));
        }
        message.put("stop_reason", stopReason(choice.path("finish_reason").asString(null)));
        message.putNull("stop_sequence");
        Usage usage = completion.path("usage").isObject() ? OpenAiUsage.from(completion.path("usage")) : Usage.NONE;
        message.set("usage", AnthropicUsage.toJson(usage));
        return message;
    }

    /** An Anthropic {@code message} as an OpenAI {@code chat.completion} for {@code model}. */
    static ObjectNode toCompletion(JsonNode message, String model, long created) {
        ObjectNode completion = Json.object();
        completion.put("id", "chatcmpl-" + message.path("id").asString(""));
        completion.put("object", "chat.completion");
        completion.put("created", created);
        completion.put("model", model);
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode reply = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asString("")) {
                case "text" -> text.append(block.path("text").asString(""));
                case "tool_use" -> calls.addObject().put("id", block.path("id").asString()).put("type", "function")
                        .putObject("function").put("name", block.path("name").asString())
                        .put("arguments", Json.MAPPER.writeValueAsString(block.path("input")));
                default -> { } // thinking: the chat format has no place for it, and the client did not ask for it
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) {
            reply.putNull("content");
        } else {
            reply.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            reply.set("tool_calls", calls);
        }
        choice.put("finish_reason", finishReason(message.path("stop_reason").asString(null)));
        completion.set("usage", AnthropicUsage.toOpenAi(AnthropicUsage.from(message.path("usage"))));
        return completion;
    }

    static String stopReason(String finishReason) {
        if (finishReason == null) {
            return "end_turn";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    static String messageId(String completionId) {
        return completionId.startsWith("msg_") ? completionId : "msg_" + completionId.replace("chatcmpl-", "");
    }

    /** Tool-call arguments as the object Anthropic's {@code input} must be (a non-object is wrapped). */
    static JsonNode arguments(String json) {
        if (json.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node.isObject() ? node : Json.object().set("value", node);
        } catch (RuntimeException e) {
            return Json.object().put("raw_arguments", json);
        }
    }
}
