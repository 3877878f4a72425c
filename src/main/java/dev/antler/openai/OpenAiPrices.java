package dev.antler.openai;

import dev.antler.billing.Price;
import dev.antler.openai.realtime.RealtimePrices;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's list prices (USD), the defaults for its models (documented in the README; any can be
 * overridden). TTS models are priced per million input characters through {@code input_per_mtok}, which
 * is how OpenAI lists them; whisper-1 per second of audio. The chat-format image models relays such as
 * DeerAPI serve on {@code /v1/chat/completions} are priced per call: see {@link #CHAT_IMAGE_MODELS}.
 */
final class OpenAiPrices {

    /**
     * Image models that relays (DeerAPI and its peers) serve on {@code /v1/chat/completions}, the picture coming back
     * as a link in the message. They have no list price of their own: relays sell them per call, from about USD 0.01
     * to 0.08. Our defaults, per call: the price of the image API they stand in for — gpt-image-1 at medium quality,
     * 1024x1024 (about 0.04) for {@code gpt-4o-image}, {@code gpt-image-1-all} and {@code sora_image}; Black Forest
     * Labs' list prices for FLUX.1 Kontext [pro] (0.04) and [max] (0.08). Set your own to match your upstream.
     */
    static final Map<String, String> CHAT_IMAGE_MODELS = chatImageModels();

    private static Map<String, String> chatImageModels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("gpt-4o-image", "0.04");
        m.put("gpt-image-1-all", "0.04");
        m.put("sora_image", "0.04");
        m.put("flux-kontext-pro", "0.04");
        m.put("flux-kontext-max", "0.08");
        return m;
    }

    private OpenAiPrices() {}

    static Map<String, Price> table() {
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
        CHAT_IMAGE_MODELS.forEach((model, usd) -> t.put(model, Price.perCall(usd)));
        t.putAll(RealtimePrices.table());
        return t;
    }
}
