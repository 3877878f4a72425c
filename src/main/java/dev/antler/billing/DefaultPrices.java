package dev.antler.billing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Built-in list prices (USD) for well-known models, used when neither the config file nor the admin
 * API sets a price for the model. Documented in the README; any entry can be overridden.
 *
 * <p>TTS models are priced per million input characters through {@code input_per_mtok}, which is how
 * OpenAI lists them; whisper-1 per second of audio.
 */
public final class DefaultPrices {

    private DefaultPrices() {}

    public static Map<String, Price> table() {
        Map<String, Price> t = new LinkedHashMap<>();
        t.put("gpt-5", Price.tokens("1.25", "10.00", "0.125"));
        t.put("gpt-5-mini", Price.tokens("0.25", "2.00", "0.025"));
        t.put("gpt-5-nano", Price.tokens("0.05", "0.40", "0.005"));
        t.put("gpt-4.1", Price.tokens("2.00", "8.00", "0.50"));
        t.put("gpt-4.1-mini", Price.tokens("0.40", "1.60", "0.10"));
        t.put("gpt-4.1-nano", Price.tokens("0.10", "0.40", "0.025"));
        t.put("gpt-4o", Price.tokens("2.50", "10.00", "1.25"));
        t.put("gpt-4o-mini", Price.tokens("0.15", "0.60", "0.075"));
        t.put("gpt-4-turbo", Price.tokens("10.00", "30.00"));
        t.put("gpt-4", Price.tokens("30.00", "60.00"));
        t.put("gpt-3.5-turbo", Price.tokens("0.50", "1.50"));
        t.put("gpt-3.5-turbo-instruct", Price.tokens("1.50", "2.00"));
        t.put("o1", Price.tokens("15.00", "60.00", "7.50"));
        t.put("o3", Price.tokens("2.00", "8.00", "0.50"));
        t.put("o3-mini", Price.tokens("1.10", "4.40", "0.55"));
        t.put("o4-mini", Price.tokens("1.10", "4.40", "0.275"));
        t.put("text-embedding-3-small", Price.tokens("0.02", "0"));
        t.put("text-embedding-3-large", Price.tokens("0.13", "0"));
        t.put("text-embedding-ada-002", Price.tokens("0.10", "0"));
        t.put("dall-e-3", Price.perImage("0.04"));
        t.put("dall-e-2", Price.perImage("0.02"));
        t.put("gpt-image-1", Price.tokens("5.00", "40.00", "1.25"));
        t.put("gpt-image-1-mini", Price.tokens("2.00", "8.00", "0.20"));
        t.put("tts-1", Price.tokens("15.00", "0"));
        t.put("tts-1-hd", Price.tokens("30.00", "0"));
        t.put("whisper-1", Price.perSecond("0.0001"));
        t.put("gpt-4o-transcribe", Price.tokens("2.50", "10.00"));
        t.put("gpt-4o-mini-transcribe", Price.tokens("1.25", "5.00"));
        t.put("omni-moderation-latest", Price.perCall("0"));
        t.put("text-moderation-latest", Price.perCall("0"));
        claude(t);
        ideogram(t);
        midjourney(t);
        return t;
    }

    /**
     * Anthropic's list prices: input, output, cache reads (0.1x input) and 5-minute cache writes
     * (1.25x input), under the dated model ids and their aliases.
     */
    private static void claude(Map<String, Price> t) {
        Price opus41 = Price.tokens("15.00", "75.00", "1.50", "18.75");
        Price opus45 = Price.tokens("5.00", "25.00", "0.50", "6.25");
        Price sonnet = Price.tokens("3.00", "15.00", "0.30", "3.75");
        Price haiku45 = Price.tokens("1.00", "5.00", "0.10", "1.25");
        Price haiku35 = Price.tokens("0.80", "4.00", "0.08", "1.00");
        t.put("claude-opus-4-5-20251101", opus45);
        t.put("claude-opus-4-5", opus45);
        t.put("claude-opus-4-1-20250805", opus41);
        t.put("claude-opus-4-1", opus41);
        t.put("claude-opus-4-20250514", opus41);
        t.put("claude-opus-4-0", opus41);
        t.put("claude-sonnet-4-5-20250929", sonnet);
        t.put("claude-sonnet-4-5", sonnet);
        t.put("claude-sonnet-4-20250514", sonnet);
        t.put("claude-sonnet-4-0", sonnet);
        t.put("claude-3-7-sonnet-20250219", sonnet);
        t.put("claude-3-7-sonnet-latest", sonnet);
        t.put("claude-haiku-4-5-20251001", haiku45);
        t.put("claude-haiku-4-5", haiku45);
        t.put("claude-3-5-haiku-20241022", haiku35);
        t.put("claude-3-5-haiku-latest", haiku35);
        t.put("claude-3-haiku-20240307", Price.tokens("0.25", "1.25", "0.03", "0.30"));
    }

    /**
     * Midjourney per action ({@code mj_<action>}), for submits without a speed prefix and {@code /mj-fast};
     * {@code mj_<action>_relax} and {@code mj_<action>_turbo} price the other speeds ({@code mj_<action>_fast}
     * may be set too). A mode without its own price is charged the action's price.
     */
    private static void midjourney(Map<String, Price> t) {
        Map<String, String> actions = new LinkedHashMap<>();
        actions.put("imagine", "0.05");
        actions.put("upscale", "0.02");
        actions.put("variation", "0.05");
        actions.put("reroll", "0.05");
        actions.put("zoom", "0.05");
        actions.put("pan", "0.05");
        actions.put("blend", "0.05");
        actions.put("describe", "0.02");
        actions.put("modal", "0.05");
        actions.put("shorten", "0.02");
        actions.put("swap_face", "0.02");
        actions.put("video", "0.40");
        actions.put("edits", "0.05");
        actions.put("upload", "0");
        actions.forEach((action, usd) -> {
            long nanos = Usd.parse(usd);
            t.put("mj_" + action, Price.perCall(usd));
            t.put("mj_" + action + "_relax", new Price(null, null, null, null, null, nanos / 2, null));
            t.put("mj_" + action + "_turbo", new Price(null, null, null, null, null, nanos * 2, null));
        });
    }

    /**
     * Ideogram's list prices, keyed as the Ideogram family looks them up: per image by endpoint and model
     * (legacy) or endpoint and rendering speed (3.0; higher with character reference images), upscale per
     * image, describe per call, and {@code ideogram/other} per call for pass-through paths. AUTO is priced
     * as V_2, the dearest model it may pick; BALANCED as DEFAULT, which it replaces.
     */
    private static void ideogram(Map<String, Price> t) {
        Map<String, String> legacy = new LinkedHashMap<>();
        legacy.put("V_1", "0.06");
        legacy.put("V_1_TURBO", "0.02");
        legacy.put("V_2", "0.08");
        legacy.put("V_2_TURBO", "0.05");
        legacy.put("V_2A", "0.04");
        legacy.put("V_2A_TURBO", "0.025");
        legacy.put("V_3", "0.06");
        legacy.put("AUTO", "0.08");
        for (String endpoint : new String[] {"generate", "remix"}) {
            legacy.forEach((model, usd) -> t.put("ideogram/" + endpoint + "/" + model, Price.perImage(usd)));
        }
        t.put("ideogram/edit/V_2", Price.perImage("0.08"));
        t.put("ideogram/edit/V_2_TURBO", Price.perImage("0.05"));
        t.put("ideogram/upscale", Price.perImage("0.06"));
        t.put("ideogram/describe", Price.perCall("0.01"));
        String[] speeds = {"FLASH", "TURBO", "BALANCED", "DEFAULT", "QUALITY"};
        String[] perImage = {"0.03", "0.03", "0.06", "0.06", "0.09"};
        String[] withCharacter = {"0.10", "0.10", "0.15", "0.15", "0.20"};
        for (String endpoint : new String[] {"generate", "edit", "remix", "reframe", "replace-background"}) {
            for (int i = 0; i < speeds.length; i++) {
                t.put("ideogram/v3/" + endpoint + "/" + speeds[i], Price.perImage(perImage[i]));
                if (!endpoint.equals("reframe") && !endpoint.equals("replace-background")) {
                    t.put("ideogram/v3/" + endpoint + "/" + speeds[i] + "/character", Price.perImage(withCharacter[i]));
                }
            }
        }
        t.put("ideogram/other", Price.perCall("0.10"));
    }
}
