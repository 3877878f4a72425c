package dev.antler.testing;

import java.util.List;

/**
 * How {@link FakeAnthropic} answers one request. Immutable; each method returns a changed copy.
 *
 * @param status        0 for the documented success answer, else an error status with {@code errorBody}
 * @param errorBody     the body of an error answer (Anthropic's envelope)
 * @param deltas        the generated text, one {@code text_delta} per element
 * @param tool          a tool_use block after the text, or null
 * @param inputTokens   reported input_tokens (not cached)
 * @param outputTokens  reported output_tokens
 * @param cacheRead     reported cache_read_input_tokens
 * @param cacheWrite    reported cache_creation_input_tokens
 * @param usage         whether usage is reported at all
 * @param cutAfter      close the connection after this many stream events (-1: never)
 */
public record AnthropicReply(int status, String errorBody, List<String> deltas, Tool tool, long inputTokens,
                             long outputTokens, long cacheRead, long cacheWrite, boolean usage, int cutAfter) {

    /** A tool_use block; {@code inputChunks} joined is the input JSON, streamed one input_json_delta per chunk. */
    public record Tool(String id, String name, List<String> inputChunks) {
        public String input() {
            return String.join("", inputChunks);
        }
    }

    public static AnthropicReply ok() {
        return new AnthropicReply(0, null, List.of("Hello", " from", " Claude"), null, 12, 6, 0, 0, true, -1);
    }

    public static AnthropicReply error(int status, String type, String message) {
        String body = """
                {"type":"error","error":{"type":"%s","message":"%s"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"""
                .formatted(type, message);
        return new AnthropicReply(status, body, List.of(), null, 0, 0, 0, 0, false, -1);
    }

    public AnthropicReply content(String... deltas) {
        return new AnthropicReply(status, errorBody, List.of(deltas), tool, inputTokens, outputTokens, cacheRead,
                cacheWrite, usage, cutAfter);
    }

    public AnthropicReply tool(String id, String name, String... inputChunks) {
        return new AnthropicReply(status, errorBody, deltas, new Tool(id, name, List.of(inputChunks)), inputTokens,
                outputTokens, cacheRead, cacheWrite, usage, cutAfter);
    }

    public AnthropicReply usage(long input, long output, long read, long write) {
        return new AnthropicReply(status, errorBody, deltas, tool, input, output, read, write, true, cutAfter);
    }

    public AnthropicReply withoutUsage() {
        return new AnthropicReply(status, errorBody, deltas, tool, inputTokens, outputTokens, cacheRead, cacheWrite,
                false, cutAfter);
    }

    public AnthropicReply cutAfter(int events) {
        return new AnthropicReply(status, errorBody, deltas, tool, inputTokens, outputTokens, cacheRead, cacheWrite,
                usage, events);
    }

    public String text() {
        return String.join("", deltas);
    }

    public String stopReason() {
        return tool != null ? "tool_use" : "end_turn";
    }
}
