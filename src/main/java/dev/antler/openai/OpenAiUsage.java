package dev.antler.openai;

import dev.antler.billing.Usage;
import tools.jackson.databind.JsonNode;

/**
 * Reads a usage object in any of OpenAI's shapes: chat/completions/embeddings
 * ({@code prompt_tokens}, {@code completion_tokens}, {@code prompt_tokens_details.cached_tokens}),
 * Responses and images ({@code input_tokens}, {@code output_tokens}, {@code input_tokens_details}),
 * and audio ({@code {"type":"duration","seconds":N}}).
 */
public final class OpenAiUsage {

    private OpenAiUsage() {}

    public static Usage from(JsonNode usage) {
        long prompt = first(usage, "prompt_tokens", "input_tokens");
        long completion = first(usage, "completion_tokens", "output_tokens");
        long cached = Math.max(usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                usage.path("input_tokens_details").path("cached_tokens").asLong(0));
        long seconds = 0;
        if ("duration".equals(usage.path("type").asString(""))) {
            seconds = (long) Math.ceil(usage.path("seconds").asDouble(0));
        }
        return new Usage(prompt, completion, cached, 0, 0, seconds);
    }

    private static long first(JsonNode usage, String name, String alternative) {
        JsonNode value = usage.get(name);
        if (value == null || !value.isNumber()) {
            value = usage.get(alternative);
        }
        return value != null && value.isNumber() ? value.asLong() : 0;
    }
}
