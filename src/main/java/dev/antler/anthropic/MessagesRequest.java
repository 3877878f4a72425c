package dev.antler.anthropic;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client's Anthropic Messages request, parsed and checked before anything is charged or sent:
 * model, max_tokens, messages with their roles and content blocks, system, sampling fields and tools.
 *
 * @param body      the client's bytes, sent unchanged to an Anthropic channel that does not rename the model
 * @param tree      the parsed request
 * @param maxTokens {@code max_tokens}, or 0 for count_tokens
 */
public record MessagesRequest(byte[] body, ObjectNode tree, String model, boolean stream, long maxTokens) {

    /** The most output tokens a request may ask for (no model comes near it): a hold's arithmetic stays far from overflow. */
    static final long MAX_TOKENS = Integer.MAX_VALUE;
    private static final Set<String> ROLES = Set.of("user", "assistant");
    private static final Set<String> BLOCK_TYPES = Set.of("text", "image", "document", "tool_use", "tool_result",
            "thinking", "redacted_thinking", "server_tool_use", "web_search_tool_result", "search_result",
            "container_upload");

    /** Parses and checks {@code body}; {@code needsMaxTokens} is false for count_tokens. */
    public static MessagesRequest parse(byte[] body, boolean needsMaxTokens) {
        if (body.length == 0) {
            throw bad("request body: empty (expected: a JSON object)");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw bad("request body: malformed JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode tree)) {
            throw bad("request body: not a JSON object (expected: {...})");
        }
        JsonNode model = tree.path("model");
        if (!model.isString() || model.stringValue().isBlank()) {
            throw bad("model: " + describe(model) + " (expected: a non-empty string)");
        }
        long maxTokens = 0;
        if (needsMaxTokens) {
            JsonNode max = tree.path("max_tokens");
            if (!max.isIntegralNumber() || !max.canConvertToLong() || max.longValue() < 1 || max.longValue() > MAX_TOKENS) {
                throw bad("max_tokens: " + describe(max) + " (expected: an integer from 1 to " + MAX_TOKENS + ")");
            }
            maxTokens = max.longValue();
        }
        JsonNode stream = tree.path("stream");
        if (!stream.isMissingNode() && !stream.isNull() && !stream.isBoolean()) {
            throw bad("stream: " + stream + " (expected: true or false)");
        }
        checkMessages(tree.path("messages"));
        checkSystem(tree.path("system"));
        checkNumber(tree, "temperature", 0, 1);
        checkNumber(tree, "top_p", 0, 1);
        JsonNode stops = tree.path("stop_sequences");
        if (!stops.isMissingNode() && !stops.isNull()
                && (!stops.isArray() || !stops.valueStream().allMatch(JsonNode::isString))) {
            throw bad("stop_sequences: " + stops + " (expected: an array of strings)");
        }
        checkTools(tree.path("tools"));
        return new MessagesRequest(body, tree, model.stringValue(), stream.asBoolean(false), maxTokens);
    }

    private static void checkMessages(JsonNode messages) {
        if (!messages.isArray() || messages.isEmpty()) {
            throw bad("messages: " + describe(messages) + " (expected: a non-empty array of messages)");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String at = "messages[" + i + "]";
            if (!message.isObject()) {
                throw bad(at + ": " + describe(message) + " (expected: an object with role and content)");
            }
            JsonNode role = message.path("role");
            if (!role.isString() || !ROLES.contains(role.stringValue())) {
                throw bad(at + ".role: " + describe(role) + " (expected: user or assistant; the system prompt goes"
                        + " in the top-level system field)");
            }
            checkContent(message.path("content"), at + ".content");
        }
    }

    private static void checkContent(JsonNode content, String at) {
        if (content.isString()) {
            return;
        }
        if (!content.isArray()) {
            throw bad(at + ": " + describe(content) + " (expected: a string or an array of content blocks)");
        }
        for (int i = 0; i < content.size(); i++) {
            checkBlock(content.get(i), at + "[" + i + "]");
        }
    }

    private static void checkBlock(JsonNode block, String at) {
        JsonNode type = block.path("type");
        if (!block.isObject() || !type.isString() || !BLOCK_TYPES.contains(type.stringValue())) {
            throw bad(at + ".type: " + describe(type) + " (expected: one of " + String.join(", ",
                    new java.util.TreeSet<>(BLOCK_TYPES)) + ")");
        }
        switch (type.stringValue()) {
            case "text" -> require(block, "text", JsonNode::isString, at, "a string");
            case "image", "document" -> require(block, "source", JsonNode::isObject, at, "a source object");
            case "tool_use" -> {
                require(block, "id", JsonNode::isString, at, "a string");
                require(block, "name", JsonNode::isString, at, "a string");
                require(block, "input", JsonNode::isObject, at, "an object");
            }
            case "tool_result" -> {
                require(block, "tool_use_id", JsonNode::isString, at, "a string");
                JsonNode content = block.path("content");
                if (!content.isMissingNode() && !content.isNull()) {
                    checkContent(content, at + ".content");
                }
            }
            default -> { }
        }
    }

    private static void checkSystem(JsonNode system) {
        if (system.isMissingNode() || system.isNull() || system.isString()) {
            return;
        }
        if (!system.isArray()) {
            throw bad("system: " + describe(system) + " (expected: a string or an array of text blocks)");
        }
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!"text".equals(block.path("type").asString("")) || !block.path("text").isString()) {
                throw bad("system[" + i + "]: " + block + " (expected: a text block {\"type\":\"text\",\"text\":...})");
            }
        }
    }

    private static void checkTools(JsonNode tools) {
        if (tools.isMissingNode() || tools.isNull()) {
            return;
        }
        if (!tools.isArray()) {
            throw bad("tools: " + describe(tools) + " (expected: an array of tool definitions)");
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            require(tool, "name", JsonNode::isString, "tools[" + i + "]", "a string");
            String type = tool.path("type").asString("custom");
            if (type.equals("custom")) {
                require(tool, "input_schema", JsonNode::isObject, "tools[" + i + "]", "a JSON schema object");
            }
        }
    }

    private static void checkNumber(JsonNode tree, String name, double min, double max) {
        JsonNode value = tree.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw bad(name + ": " + value + " (expected: a number from " + (int) min + " to " + (int) max + ")");
        }
    }

    private static void require(JsonNode node, String field, java.util.function.Predicate<JsonNode> ok, String at,
                                String expected) {
        if (!node.isObject() || !ok.test(node.path(field))) {
            throw bad(at + "." + field + ": " + describe(node.path(field)) + " (expected: " + expected + ")");
        }
    }

    static String describe(JsonNode node) {
        if (node.isMissingNode()) {
            return "missing";
        }
        String text = node.toString();
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    static GatewayException bad(String message) {
        return GatewayException.badRequest("invalid_request", message);
    }
}
