package dev.antler.anthropic;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Translates an OpenAI chat completions request into an Anthropic Messages request: system and
 * developer messages into {@code system}, text and image parts into content blocks, assistant
 * {@code tool_calls} into {@code tool_use} blocks and {@code tool} messages into {@code tool_result}
 * blocks (consecutive turns of one role merged, as Anthropic requires), tools, tool_choice,
 * max_tokens, sampling and stop. Whatever has no Messages equivalent is refused with a 400 naming it.
 */
final class ChatToMessages {

    /** max_tokens sent when the client gave none: Anthropic requires one. */
    static final long DEFAULT_MAX_TOKENS = 4096;
    private static final Set<String> TRANSLATABLE = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
            "temperature", "top_p", "stop", "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls",
            "user", "n");

    private ChatToMessages() {}

    static byte[] translate(JsonNode in, String model, String upstreamModel) {
        for (String field : in.propertyNames()) {
            if (!TRANSLATABLE.contains(field) && !in.get(field).isNull()) {
                throw untranslatable(field + ": " + MessagesRequest.describe(in.get(field)), model);
            }
        }
        if (in.path("n").asInt(1) != 1) {
            throw untranslatable("n: " + in.get("n"), model);
        }
        ObjectNode out = Json.object();
        out.put("model", upstreamModel);
        StringBuilder system = new StringBuilder();
        ArrayNode messages = out.putArray("messages");
        for (JsonNode message : in.path("messages")) {
            String role = message.path("role").asString("");
            switch (role) {
                case "system", "developer" -> {
                    if (!system.isEmpty()) {
                        system.append("\n\n");
                    }
                    system.append(text(message.path("content"), model));
                }
                case "user" -> append(messages, "user", userBlocks(message.path("content"), model));
                case "assistant" -> append(messages, "assistant", assistantBlocks(message, model));
                case "tool" -> {
                    ObjectNode result = Json.object().put("type", "tool_result")
                            .put("tool_use_id", message.path("tool_call_id").asString(""))
                            .put("content", text(message.path("content"), model));
                    append(messages, "user", Json.MAPPER.createArrayNode().add(result));
                }
                default -> throw untranslatable("messages[].role: " + role, model);
            }
        }
        if (!system.isEmpty()) {
            out.put("system", system.toString());
        }
        long maxTokens = in.path("max_completion_tokens").asLong(in.path("max_tokens").asLong(DEFAULT_MAX_TOKENS));
        out.put("max_tokens", maxTokens);
        JsonNode temperature = in.path("temperature");
        if (temperature.isNumber() && temperature.asDouble() > 1) {
            throw GatewayException.badRequest("untranslatable_request", "temperature: " + temperature
                    + " (expected: 0 to 1; model " + model + " is served by an Anthropic channel)");
        }
        copy(in, "temperature", out, "temperature");
        copy(in, "top_p", out, "top_p");
        JsonNode stop = in.path("stop");
        if (stop.isString()) {
            out.putArray("stop_sequences").add(stop.stringValue());
        } else if (stop.isArray()) {
            out.set("stop_sequences", stop);
        }
        if (in.path("stream").asBoolean(false)) {
            out.put("stream", true);
        }
        Tools.toMessages(in, out, model);
        if (in.path("user").isString()) {
            out.putObject("metadata").put("user_id", in.path("user").stringValue());
        }
        return Json.bytes(out);
    }

    private static ArrayNode userBlocks(JsonNode content, String model) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        if (content.isString()) {
            blocks.addObject().put("type", "text").put("text", content.stringValue());
            return blocks;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asString("")) {
                case "text" -> blocks.addObject().put("type", "text").put("text", part.path("text").asString(""));
                case "image_url" -> blocks.addObject().put("type", "image")
                        .set("source", imageSource(part.path("image_url").path("url").asString("")));
                default -> throw untranslatable("a user content part of type " + part.path("type").asString("?"), model);
            }
        }
        return blocks;
    }

    private static ArrayNode assistantBlocks(JsonNode message, String model) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        String text = text(message.path("content"), model);
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode input;
            try {
                input = Json.MAPPER.readTree(call.path("function").path("arguments").asString("{}"));
            } catch (RuntimeException e) {
                input = null;
            }
            if (input == null || !input.isObject()) {
                throw GatewayException.badRequest("invalid_tool_arguments", "tool_calls[].function.arguments: "
                        + MessagesRequest.describe(call.path("function").path("arguments")) + " (expected: a JSON object)");
            }
            ObjectNode use = blocks.addObject().put("type", "tool_use").put("id", call.path("id").asString(""))
                    .put("name", call.path("function").path("name").asString(""));
            use.set("input", input);
        }
        return blocks;
    }

    /** Adds a turn, merged into the previous one when of the same role (Anthropic wants roles to alternate). */
    private static void append(ArrayNode messages, String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && last.path("role").asString().equals(role)) {
            ((ArrayNode) last.get("content")).addAll(blocks);
        } else {
            messages.addObject().put("role", role).set("content", blocks);
        }
    }

    private static ObjectNode imageSource(String url) {
        int comma = url.indexOf(',');
        if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
            return Json.object().put("type", "base64").put("media_type", url.substring(5, comma - 7))
                    .put("data", url.substring(comma + 1));
        }
        return Json.object().put("type", "url").put("url", url);
    }

    private static String text(JsonNode content, String model) {
        if (content.isMissingNode() || content.isNull() || content.isString()) {
            return content.asString("");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (!part.path("type").asString("").equals("text")) {
                throw untranslatable("a content part of type " + part.path("type").asString("?") + " here", model);
            }
            text.append(part.path("text").asString(""));
        }
        return text.toString();
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode value = from.get(name);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }

    static GatewayException untranslatable(String what, String model) {
        return GatewayException.badRequest("untranslatable_request", what + " (expected: only what the Anthropic"
                + " Messages format can carry; model " + model + " is served by an Anthropic channel)");
    }
}
