package dev.antler.videos;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * List prices per second of video. Sora: OpenAI's list prices (sora-2 $0.10/s; sora-2-pro $0.30/s at 720p,
 * $0.50/s at 1024x1792 and 1792x1024, priced under {@code <model>/<size>}). Veo on OpenAI-format channels:
 * our default, Google's Veo 3 list prices (veo3 $0.40/s, veo3-fast $0.15/s) — operators set their reseller's.
 * A price key {@code <model>/<size>} wins over {@code <model>} (see {@link VideoModels#priceKeys}).
 */
final class VideoPrices {

    private VideoPrices() {}

    static Map<String, Price> table() {
        Map<String, Price> prices = new LinkedHashMap<>();
        prices.put("sora-2", Price.perSecond("0.10"));
        prices.put("sora-2-pro", Price.perSecond("0.30"));
        prices.put("sora-2-pro/1024x1792", Price.perSecond("0.50"));
        prices.put("sora-2-pro/1792x1024", Price.perSecond("0.50"));
        prices.put("veo3", Price.perSecond("0.40"));
        prices.put("veo3-fast", Price.perSecond("0.15"));
        return Map.copyOf(prices);
    }
}
