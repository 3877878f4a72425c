package dev.antler.billing;

/**
 * What a request consumed, as read from the upstream's answer (or estimated).
 *
 * @param promptTokens      input tokens, cached ones included
 * @param cachedTokens      input tokens served from the provider's prompt cache (subset of prompt)
 * @param cacheWriteTokens  input tokens written to the prompt cache (Anthropic; not in prompt)
 * @param images            images returned
 * @param seconds           seconds of audio or video, when priced by time
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens,
                    long images, long seconds) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0);

    public static Usage tokens(long prompt, long completion) {
        return new Usage(prompt, completion, 0, 0, 0, 0);
    }

    /** {@code count} images. */
    public static Usage images(long count) {
        return new Usage(0, 0, 0, 0, count, 0);
    }

    /** {@code count} seconds of audio or video. */
    public static Usage seconds(long count) {
        return new Usage(0, 0, 0, 0, 0, count);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }
}
