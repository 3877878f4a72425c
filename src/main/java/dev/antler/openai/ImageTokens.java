package dev.antler.openai;

import java.util.Locale;

/**
 * The most prompt tokens one input image can cost, per OpenAI's documented image-token formulas, whatever
 * its size or {@code detail}.
 */
public final class ImageTokens {

    /**
     * Any model not named below: 1600. gpt-4o's worst case is 1445 (85 + 170 per 512 px tile, at most
     * 2 x 4 tiles once scaled to fit 768 x 2048; o1 and o3 bill less); 1600, Anthropic's bound, also covers
     * Claude models reached through chat completions.
     */
    static final long DEFAULT = 1600;
    /** gpt-4o-mini bills images at 33 times the tokens: 2833 + 5667 per tile, 8 tiles. */
    static final long GPT_4O_MINI = 2833 + 5667 * 8;
    /** Patch-based models: at most 1536 patches of 32 px, times the model's multiplier (1.62, 2.46, 1.72). */
    static final long GPT_4_1_MINI = 2489;
    static final long GPT_4_1_NANO = 3779;
    static final long O4_MINI = 2642;

    private ImageTokens() {}

    public static long worstCase(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        if (m.startsWith("gpt-4o-mini")) {
            return GPT_4O_MINI;
        }
        if (m.startsWith("gpt-4.1-mini")) {
            return GPT_4_1_MINI;
        }
        if (m.startsWith("gpt-4.1-nano")) {
            return GPT_4_1_NANO;
        }
        if (m.startsWith("o4-mini")) {
            return O4_MINI;
        }
        return DEFAULT;
    }
}
