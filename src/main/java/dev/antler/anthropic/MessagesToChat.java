package dev.antler.anthropic;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Translates an Anthropic Messages request into an OpenAI chat completions request: system prompt,
 * text and image content, tool definitions, tool_use / tool_result turns, max_tokens, sampling and
 * stop sequences. Whatever has no chat equivalent is refused with a 400 naming it, never dropped.
 */
final class MessagesToChat {

    private static final Set<String> TRANSLATABLE = Set.of("model", "messages", "system", "max_tokens",
            "temperature", "top_p", "stop_sequences", "stream", "tools", "tool_choice", "metadata", "thinking");

    private MessagesToChat() {}

    static byte[] translate(MessagesRequest request, String upstreamModel) {
        ObjectNode in = request.tree();
        for (String field : in.propertyNames()) {
            if (!TRANSLATABLE.contains(field)) {
                throw untranslatable(field + ": " + MessagesRequest.describe(in.get(field)), request.model());
            }
        }
        if (in.has("thinking") && !"disabled".equals(in.path("thinking").path("type").asString(""))) {
            throw untranslatable("thinking: " + in.get("thinking"), request.model());
        }
        ObjectNode out = Json.object();
        out.put("model", upstreamModel);
        ArrayNode messages = out.putArray("messages");
        String system = Blocks.text(in.path("system"), "system");
        if (!system.isEmpty()) {
            messages.addObject().put("role", "system").put("content", system);
        }
        for (JsonNode message : in.path("messages")) {
            if (message.path("role").asString().equals("assistant")) {
                messages.add(assistant(message.path("content"), request.model()));
            } else {
                user(message.path("content"), messages, request.model());
            }
        }
        out.put("max_tokens", request.maxTokens());
        copy(in, "temperature", out, "temperature");
        copy(in, "top_p", out, "top_p");
        copy(in, "stop_sequences", out, "stop");
        if (request.stream()) {
            out.put("stream", true);
            out.putObject("stream_options").put("include_usage", true);
        }
        Tools.toChat(in, out, request.model());
        JsonNode user = in.path("metadata").path("user_id");
        if (user.isString()) {
            out.put("user", user.stringValue());
        }
        return Json.bytes(out);
    }

    private static ObjectNode assistant(JsonNode content, String model) {
        ObjectNode message = Json.object().put("role", "assistant");
        if (content.isString()) {
            return message.put("content", content.stringValue());
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (JsonNode block : content) {
            switch (block.path("type").asString()) {
                case "text" -> text.append(block.path("text").asString());
                case "tool_use" -> {
                    ObjectNode call = calls.addObject().put("id", block.path("id").asString()).put("type", "function");
                    call.putObject("function").put("name", block.path("name").asString())
                            .put("arguments", Json.MAPPER.writeValueAsString(block.path("input")));
                }
                default -> throw untranslatable("an assistant content block of type " + block.path("type").asString(),
                        model);
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        return message;
    }

    /** A user turn: its tool results become tool messages (first, as OpenAI wants them after the call), the rest one user message. */
    private static void user(JsonNode content, ArrayNode messages, String model) {
        if (content.isString()) {
            messages.addObject().put("role", "user").put("content", content.stringValue());
            return;
        }
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (JsonNode block : content) {
            switch (block.path("type").asString()) {
                case "tool_result" -> messages.addObject().put("role", "tool")
                        .put("tool_call_id", block.path("tool_use_id").asString())
                        .put("content", Blocks.text(block.path("content"), "tool_result.content"));
                case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asString());
                case "image" -> parts.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", Blocks.imageUrl(block.path("source")));
                default -> throw untranslatable("a user content block of type " + block.path("type").asString(), model);
            }
        }
        if (!parts.isEmpty()) {
            ObjectNode message = messages.addObject().put("role", "user");
            if (parts.size() == 1 && parts.get(0).path("type").asString().equals("text")) {
                message.put("content", parts.get(0).path("text").asString());
            } else {
                message.set("content", parts);
            }
        }
    }

    static void copy(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode value = from.get(name);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }

    static GatewayException untranslatable(String what, String model) {
        return GatewayException.badRequest("untranslatable_request", what + " (expected: only what the OpenAI chat"
                + " format can carry; model " + model + " is served by an OpenAI-format channel)");
    }

}
