package dev.antler.pika;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pika's default prices (USD) per call, at {@code pika/<model>}. Pika sells no per-call access to the web app the
 * reverse relays drive; its developer API (served through fal.ai) lists a 5 s 720p video at $0.20 (Pika 2.2,
 * fal.ai/models/fal-ai/pika/v2.2/text-to-video), which we take for every model. A relay charges what it charges:
 * operators should set their own from their relay's price list.
 */
final class PikaPrices {

    private PikaPrices() {}

    static Map<String, Price> table() {
        Map<String, Price> prices = new LinkedHashMap<>();
        for (String model : PikaInput.MODELS) {
            prices.put(key(model), Price.perCall("0.20"));
        }
        return Map.copyOf(prices);
    }

    /** {@code pika/<model>}. */
    static String key(String model) {
        return "pika/" + model;
    }
}
