package dev.antler.openai;

import tools.jackson.databind.JsonNode;

/**
 * The generated text in one element of an OpenAI-format answer, for a token estimate when the upstream
 * reports no usage: a chat choice's message (content, refusal, tool-call arguments), a completions
 * choice's text, or a Responses API output item (message text, function-call arguments, reasoning summary).
 */
public final class AnswerText {

    private AnswerText() {}

    /** Appends the text of {@code item}, an element of {@code choices} or {@code output}, to {@code out}. */
    public static void append(JsonNode item, StringBuilder out) {
        JsonNode message = item.path("message");
        appendContent(message.path("content"), out);
        appendString(message.path("refusal"), out);
        for (JsonNode call : message.path("tool_calls")) {
            appendString(call.path("function").path("arguments"), out);
        }
        appendString(message.path("function_call").path("arguments"), out);
        appendString(item.path("text"), out);
        appendContent(item.path("content"), out);
        appendString(item.path("arguments"), out);
        for (JsonNode part : item.path("summary")) {
            appendString(part.path("text"), out);
        }
    }

    /** A string, or an array of parts with {@code text} (or a {@code refusal}). */
    private static void appendContent(JsonNode content, StringBuilder out) {
        appendString(content, out);
        if (content.isArray()) {
            for (JsonNode part : content) {
                appendString(part.path("text"), out);
                appendString(part.path("refusal"), out);
            }
        }
    }

    private static void appendString(JsonNode text, StringBuilder out) {
        if (text.isString()) {
            out.append(text.stringValue());
        }
    }
}
