package dev.antler.anthropic;

import dev.antler.billing.Usage;
import dev.antler.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic's usage object: {@code input_tokens} (not cached), {@code cache_read_input_tokens},
 * {@code cache_creation_input_tokens} and {@code output_tokens}. In {@link Usage} the prompt counts
 * the cache reads (as OpenAI's does) and the cache writes are apart, so each kind is priced on its own.
 */
public final class AnthropicUsage {

    private AnthropicUsage() {}

    public static Usage from(JsonNode usage) {
        long input = usage.path("input_tokens").asLong(0);
        long read = usage.path("cache_read_input_tokens").asLong(0);
        long write = usage.path("cache_creation_input_tokens").asLong(0);
        return new Usage(input + read, usage.path("output_tokens").asLong(0), read, write, 0, 0);
    }

    /**
     * {@code base} with the fields {@code update} carries (a stream's {@code message_delta} updates only
     * some); {@code base} itself, null included, when {@code update} is no usage object: a stream that
     * reports none is estimated, not billed as zero.
     */
    public static Usage merge(Usage base, JsonNode update) {
        if (!update.isObject()) {
            return base;
        }
        Usage u = base == null ? Usage.NONE : base;
        long read = update.has("cache_read_input_tokens") && update.get("cache_read_input_tokens").isNumber()
                ? update.get("cache_read_input_tokens").asLong() : u.cachedTokens();
        long input = update.has("input_tokens") && update.get("input_tokens").isNumber()
                ? update.get("input_tokens").asLong() : u.promptTokens() - u.cachedTokens();
        long write = update.has("cache_creation_input_tokens") && update.get("cache_creation_input_tokens").isNumber()
                ? update.get("cache_creation_input_tokens").asLong() : u.cacheWriteTokens();
        long output = update.has("output_tokens") && update.get("output_tokens").isNumber()
                ? update.get("output_tokens").asLong() : u.completionTokens();
        return new Usage(input + read, output, read, write, 0, 0);
    }

    /** {@code usage} in Anthropic's shape. */
    public static ObjectNode toJson(Usage usage) {
        ObjectNode node = Json.object();
        node.put("input_tokens", Math.max(0, usage.promptTokens() - usage.cachedTokens()));
        node.put("cache_creation_input_tokens", usage.cacheWriteTokens());
        node.put("cache_read_input_tokens", usage.cachedTokens());
        node.put("output_tokens", usage.completionTokens());
        return node;
    }

    /** {@code usage} in OpenAI's chat shape: the prompt counts cache reads and writes. */
    public static ObjectNode toOpenAi(Usage usage) {
        ObjectNode node = Json.object();
        long prompt = usage.promptTokens() + usage.cacheWriteTokens();
        node.put("prompt_tokens", prompt);
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", prompt + usage.completionTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        return node;
    }
}
