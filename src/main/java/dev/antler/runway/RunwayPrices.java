package dev.antler.runway;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runway's default prices (USD per second of video), from Runway's API list prices in credits per second at USD
 * 0.01 a credit (docs.dev.runwayml.com API pricing, 2026): gen4.5 12, gen4_turbo 5, gen4_aleph 15, veo3 40, veo3.1
 * 40 with audio and 20 without, veo3.1_fast 15 with audio and 10 without, act_two 5. Not on that list, ours: aleph2
 * at gen4_aleph's rate; the reverse format's {@code gen4} at Gen-4's 12 credits a second (Runway's own credit table)
 * and {@code act_one} at Act-Two's rate. A Veo 3.1 video asked without {@code audio} says {@code audio: false}
 * ({@code runway/<model>/no-audio}); asked without the field it is priced with audio, Runway's default.
 */
final class RunwayPrices {

    private RunwayPrices() {}

    static Map<String, Price> table() {
        Map<String, Price> prices = new LinkedHashMap<>();
        prices.put("runway/gen4.5", Price.perSecond("0.12"));
        prices.put("runway/gen4_turbo", Price.perSecond("0.05"));
        prices.put("runway/gen4_aleph", Price.perSecond("0.15"));
        prices.put("runway/aleph2", Price.perSecond("0.15"));
        prices.put("runway/veo3", Price.perSecond("0.40"));
        prices.put("runway/veo3.1", Price.perSecond("0.40"));
        prices.put("runway/veo3.1/no-audio", Price.perSecond("0.20"));
        prices.put("runway/veo3.1_fast", Price.perSecond("0.15"));
        prices.put("runway/veo3.1_fast/no-audio", Price.perSecond("0.10"));
        prices.put("runway/gen4", Price.perSecond("0.12"));
        prices.put("runway/act_one", Price.perSecond("0.05"));
        return Map.copyOf(prices);
    }
}
