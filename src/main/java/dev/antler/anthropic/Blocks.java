package dev.antler.anthropic;

import dev.antler.core.GatewayException;
import tools.jackson.databind.JsonNode;

/** Reading Anthropic content: text of a string or of text blocks, images as URLs, and what an answer generated. */
final class Blocks {

    private Blocks() {}

    /** The text of a string or an array of text blocks (joined by blank lines); 400 for other blocks. */
    static String text(JsonNode content, String at) {
        if (content.isMissingNode() || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.stringValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if (!"text".equals(block.path("type").asString(""))) {
                throw GatewayException.badRequest("untranslatable_request", at + ": a block of type "
                        + block.path("type").asString("?") + " (expected: text only, when translated to another format)");
            }
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(block.path("text").asString());
        }
        return text.toString();
    }

    /**
     * Appends what the model generated in {@code block}, a content block of an answer, for a token
     * estimate: text, thinking, and a tool call's input as JSON (as a stream's {@code partial_json} has it).
     */
    static void appendGenerated(JsonNode block, StringBuilder out) {
        switch (block.path("type").asString("")) {
            case "text" -> out.append(block.path("text").asString(""));
            case "thinking" -> out.append(block.path("thinking").asString(""));
            case "tool_use", "server_tool_use" -> out.append(block.path("input"));
            default -> { }
        }
    }

    /** An image source as a URL: {@code url} sources as they are, base64 ones as a data URL. */
    static String imageUrl(JsonNode source) {
        return switch (source.path("type").asString("")) {
            case "url" -> source.path("url").asString();
            case "base64" -> "data:" + source.path("media_type").asString() + ";base64," + source.path("data").asString();
            default -> throw GatewayException.badRequest("untranslatable_request", "image.source.type: "
                    + source.path("type") + " (expected: base64 or url)");
        };
    }
}
