package dev.antler.anthropic;

import dev.antler.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Tool definitions and tool_choice between Anthropic's and OpenAI's shapes (server tools have no chat equivalent). */
final class Tools {

    private Tools() {}

    /** Anthropic tools and tool_choice (with disable_parallel_tool_use) in the chat request {@code out}. */
    static void toChat(JsonNode in, ObjectNode out, String model) {
        if (in.path("tools").isArray()) {
            ArrayNode tools = out.putArray("tools");
            for (JsonNode tool : in.path("tools")) {
                String type = tool.path("type").asString("custom");
                if (!type.equals("custom")) {
                    throw MessagesToChat.untranslatable("tools[].type: " + type + " (an Anthropic server tool)", model);
                }
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.path("name").asString());
                MessagesToChat.copy(tool, "description", function, "description");
                function.set("parameters", tool.path("input_schema"));
            }
        }
        toChatChoice(in.path("tool_choice"), out, model);
    }

    private static void toChatChoice(JsonNode choice, ObjectNode out, String model) {
        if (!choice.isObject()) {
            return;
        }
        switch (choice.path("type").asString("")) {
            case "auto" -> out.put("tool_choice", "auto");
            case "any" -> out.put("tool_choice", "required");
            case "none" -> out.put("tool_choice", "none");
            case "tool" -> out.putObject("tool_choice").put("type", "function").putObject("function")
                    .put("name", choice.path("name").asString());
            default -> throw MessagesToChat.untranslatable("tool_choice: " + choice, model);
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            out.put("parallel_tool_calls", false);
        }
    }

    /** Chat tools and tool_choice (with parallel_tool_calls) in the Messages request {@code out}. */
    static void toMessages(JsonNode in, ObjectNode out, String model) {
        if (in.path("tools").isArray()) {
            ArrayNode tools = out.putArray("tools");
            for (JsonNode tool : in.path("tools")) {
                if (!tool.path("type").asString("function").equals("function")) {
                    throw ChatToMessages.untranslatable("tools[].type: " + tool.path("type").asString(), model);
                }
                JsonNode function = tool.path("function");
                ObjectNode converted = tools.addObject().put("name", function.path("name").asString(""));
                MessagesToChat.copy(function, "description", converted, "description");
                converted.set("input_schema", function.path("parameters").isObject() ? function.get("parameters")
                        : Json.object().put("type", "object"));
            }
        }
        JsonNode choice = in.path("tool_choice");
        ObjectNode converted = null;
        if (choice.isString()) {
            converted = Json.object().put("type", switch (choice.stringValue()) {
                case "required" -> "any";
                case "none" -> "none";
                default -> "auto";
            });
        } else if (choice.isObject()) {
            converted = Json.object().put("type", "tool").put("name", choice.path("function").path("name").asString(""));
        }
        if (in.path("parallel_tool_calls").isBoolean() && !in.path("parallel_tool_calls").booleanValue()
                && in.path("tools").isArray()) {
            converted = converted == null ? Json.object().put("type", "auto") : converted;
            converted.put("disable_parallel_tool_use", true);
        }
        if (converted != null) {
            out.set("tool_choice", converted);
        }
    }
}
