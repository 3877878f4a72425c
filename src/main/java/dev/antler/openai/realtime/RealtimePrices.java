package dev.antler.openai.realtime;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's list prices for its realtime models (USD per million tokens, openai.com/api/pricing). A realtime
 * model has two prices: its text tokens under the model's own name, its audio tokens under
 * {@code <model>:audio} (input, output and cached input each), so an operator sets either like any other price.
 */
public final class RealtimePrices {

    /** The suffix of the price name of a realtime model's audio tokens. */
    public static final String AUDIO_SUFFIX = ":audio";

    private RealtimePrices() {}

    public static String audioKey(String model) {
        return model + AUDIO_SUFFIX;
    }

    public static Map<String, Price> table() {
        Map<String, Price> t = new LinkedHashMap<>();
        // model: text in, text out, text cached; audio in, audio out, audio cached
        put(t, "gpt-realtime", "4.00", "16.00", "0.40", "32.00", "64.00", "0.40");
        put(t, "gpt-4o-realtime-preview", "5.00", "20.00", "2.50", "40.00", "80.00", "2.50");
        put(t, "gpt-4o-mini-realtime-preview", "0.60", "2.40", "0.30", "10.00", "20.00", "0.30");
        return t;
    }

    private static void put(Map<String, Price> t, String model, String textIn, String textOut, String textCached,
                            String audioIn, String audioOut, String audioCached) {
        t.put(model, Price.tokens(textIn, textOut, textCached));
        t.put(audioKey(model), Price.tokens(audioIn, audioOut, audioCached));
    }
}
