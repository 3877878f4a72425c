package dev.antler.testing;

import java.util.List;

/**
 * How {@link FakeOpenAi} answers one request. Immutable; each method returns a changed copy.
 * {@link #ok()} answers in the endpoint's documented success shape; the other knobs change the
 * status, the reported usage, the content and the timing.
 *
 * @param status        0 for the endpoint's success answer, else an error status with {@code errorBody}
 * @param errorBody     the body of an error answer
 * @param delayMs       wait before sending the response head
 * @param promptTokens  reported prompt (input) tokens
 * @param completionTokens reported completion (output) tokens
 * @param cachedTokens  reported prompt_tokens_details.cached_tokens
 * @param deltas        the generated text, one element per stream event
 * @param usage         whether usage is reported at all (a stream still reports it only when asked)
 * @param eventDelayMs  wait between stream events
 * @param cutAfter      close the connection after this many stream events (-1: never; 0: before any answer)
 * @param images        images returned (-1: as many as the request's {@code n})
 * @param audioSeconds  seconds reported by transcriptions
 * @param toolCall      a tool call the chat answer makes after its text, or null
 */
public record FakeReply(int status, String errorBody, long delayMs, long promptTokens, long completionTokens,
                        long cachedTokens, List<String> deltas, boolean usage, long eventDelayMs, int cutAfter,
                        int images, int audioSeconds, ToolCall toolCall) {

    /** A function call the chat answer makes; {@code argumentChunks} joined is the arguments JSON, one chunk per stream event. */
    public record ToolCall(String id, String name, List<String> argumentChunks) {
        public String arguments() {
            return String.join("", argumentChunks);
        }
    }

    public static FakeReply ok() {
        return new FakeReply(0, null, 0, 10, 2, 0, List.of("Hello", " there", "!"), true, 0, -1, -1, 3, null);
    }

    /** Reads the request, then closes the connection without answering. */
    public static FakeReply hangUp() {
        return ok().cutAfter(0);
    }

    /** An OpenAI error envelope with {@code status}. */
    public static FakeReply error(int status, String type, String code, String message) {
        String body = """
                {"error":{"message":"%s","type":"%s","param":null,"code":%s}}"""
                .formatted(message, type, code == null ? "null" : '"' + code + '"');
        return ok().withStatus(status, body);
    }

    /** An error with a plausible OpenAI envelope for {@code status}. */
    public static FakeReply status(int status) {
        return switch (status) {
            case 400 -> error(400, "invalid_request_error", null, "Invalid value for 'temperature'.");
            case 401 -> error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
            case 429 -> error(429, "requests", "rate_limit_exceeded", "Rate limit reached for requests.");
            default -> error(status, "server_error", null, "The server had an error while processing your request.");
        };
    }

    public FakeReply withStatus(int status, String errorBody) {
        return new FakeReply(status, errorBody, delayMs, promptTokens, completionTokens, cachedTokens, deltas, usage,
                eventDelayMs, cutAfter, images, audioSeconds, toolCall);
    }

    public FakeReply delay(long ms) {
        return new FakeReply(status, errorBody, ms, promptTokens, completionTokens, cachedTokens, deltas, usage,
                eventDelayMs, cutAfter, images, audioSeconds, toolCall);
    }

    public FakeReply usage(long prompt, long completion, long cached) {
        return new FakeReply(status, errorBody, delayMs, prompt, completion, cached, deltas, usage, eventDelayMs,
                cutAfter, images, audioSeconds, toolCall);
    }

    public FakeReply content(String... deltas) {
        return new FakeReply(status, errorBody, delayMs, promptTokens, completionTokens, cachedTokens,
                List.of(deltas), usage, eventDelayMs, cutAfter, images, audioSeconds, toolCall);
    }

    /** No usage anywhere: not in JSON bodies, and no usage chunk even when the stream asked for one. */
    public FakeReply withoutUsage() {
        return new FakeReply(status, errorBody, delayMs, promptTokens, completionTokens, cachedTokens, deltas, false,
                eventDelayMs, cutAfter, images, audioSeconds, toolCall);
    }

    public FakeReply eventDelay(long ms) {
        return new FakeReply(status, errorBody, delayMs, promptTokens, completionTokens, cachedTokens, deltas, usage,
                ms, cutAfter, images, audioSeconds, toolCall);
    }

    /** Closes the connection after {@code events} stream events, without ending the stream. */
    public FakeReply cutAfter(int events) {
        return new FakeReply(status, errorBody, delayMs, promptTokens, completionTokens, cachedTokens, deltas, usage,
                eventDelayMs, events, images, audioSeconds, toolCall);
    }

    public FakeReply images(int count) {
        return new FakeReply(status, errorBody, delayMs, promptTokens, completionTokens, cachedTokens, deltas, usage,
                eventDelayMs, cutAfter, count, audioSeconds, toolCall);
    }

    public FakeReply audioSeconds(int seconds) {
        return new FakeReply(status, errorBody, delayMs, promptTokens, completionTokens, cachedTokens, deltas, usage,
                eventDelayMs, cutAfter, images, seconds, toolCall);
    }

    public FakeReply toolCall(String id, String name, String... argumentChunks) {
        return new FakeReply(status, errorBody, delayMs, promptTokens, completionTokens, cachedTokens, deltas, usage,
                eventDelayMs, cutAfter, images, audioSeconds, new ToolCall(id, name, List.of(argumentChunks)));
    }

    public String text() {
        return String.join("", deltas);
    }
}
