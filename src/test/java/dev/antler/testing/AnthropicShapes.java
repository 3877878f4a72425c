package dev.antler.testing;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Anthropic Messages answers as documented (docs.anthropic.com, "Messages" and "Streaming Messages"). */
final class AnthropicShapes {

    static final String MESSAGE_ID = "msg_01XFDUDYJgAACzvnptvVoYEL";

    private AnthropicShapes() {}

    static ObjectNode usage(AnthropicReply reply, boolean atStart) {
        ObjectNode usage = OpenAiShapes.JSON.createObjectNode();
        usage.put("input_tokens", reply.inputTokens());
        usage.put("cache_creation_input_tokens", reply.cacheWrite());
        usage.put("cache_read_input_tokens", reply.cacheRead());
        ObjectNode creation = usage.putObject("cache_creation");
        creation.put("ephemeral_5m_input_tokens", reply.cacheWrite());
        creation.put("ephemeral_1h_input_tokens", 0);
        usage.put("output_tokens", atStart ? 1 : reply.outputTokens());
        usage.put("service_tier", "standard");
        return usage;
    }

    static ObjectNode message(String model, AnthropicReply reply) {
        ObjectNode root = head(model);
        ArrayNode content = root.putArray("content");
        if (!reply.text().isEmpty()) {
            content.addObject().put("type", "text").put("text", reply.text());
        }
        if (reply.tool() != null) {
            content.addObject().put("type", "tool_use").put("id", reply.tool().id()).put("name", reply.tool().name())
                    .set("input", OpenAiShapes.JSON.readTree(reply.tool().input()));
        }
        root.put("stop_reason", reply.stopReason());
        root.putNull("stop_sequence");
        if (reply.usage()) {
            root.set("usage", usage(reply, false));
        }
        return root;
    }

    /** The stream's events, each {@code event: <type>\ndata: <json>\n\n}. */
    static List<String> events(String model, AnthropicReply reply) {
        List<String> events = new ArrayList<>();
        ObjectNode message = head(model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        if (reply.usage()) {
            message.set("usage", usage(reply, true));
        }
        events.add(event(object("message_start").set("message", message)));
        int index = 0;
        if (!reply.deltas().isEmpty()) {
            events.add(event(object("content_block_start").put("index", index)
                    .set("content_block", object("text").put("text", ""))));
            events.add(event(object("ping")));
            for (String text : reply.deltas()) {
                events.add(event(object("content_block_delta").put("index", index)
                        .set("delta", object("text_delta").put("text", text))));
            }
            events.add(event(object("content_block_stop").put("index", index)));
            index++;
        }
        if (reply.tool() != null) {
            ObjectNode block = object("tool_use").put("id", reply.tool().id()).put("name", reply.tool().name());
            block.putObject("input");
            events.add(event(object("content_block_start").put("index", index).set("content_block", block)));
            for (String chunk : reply.tool().inputChunks()) {
                events.add(event(object("content_block_delta").put("index", index)
                        .set("delta", object("input_json_delta").put("partial_json", chunk))));
            }
            events.add(event(object("content_block_stop").put("index", index)));
        }
        ObjectNode delta = object("message_delta");
        delta.putObject("delta").put("stop_reason", reply.stopReason()).putNull("stop_sequence");
        if (reply.usage()) {
            delta.putObject("usage").put("output_tokens", reply.outputTokens());
        }
        events.add(event(delta));
        events.add(event(object("message_stop")));
        return events;
    }

    static ObjectNode countTokens(AnthropicReply reply) {
        return OpenAiShapes.JSON.createObjectNode().put("input_tokens", reply.inputTokens());
    }

    static String error(int status, String type, String message) {
        ObjectNode root = object("error");
        root.putObject("error").put("type", type).put("message", message);
        return root.toString();
    }

    private static ObjectNode head(String model) {
        return object("message").put("id", MESSAGE_ID).put("role", "assistant").put("model", model);
    }

    private static ObjectNode object(String type) {
        return OpenAiShapes.JSON.createObjectNode().put("type", type);
    }

    private static String event(JsonNode data) {
        return "event: " + data.path("type").asString() + "\ndata: " + data + "\n\n";
    }
}
