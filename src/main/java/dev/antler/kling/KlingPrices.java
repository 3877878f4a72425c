package dev.antler.kling;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kling's default prices (USD) — ours, not a Kling list: Kling sells API use as prepaid resource-pack "units"
 * whose dollar price depends on the pack. We took approximate unit counts per 5 s video (kling-v1 std 1, pro 3.5;
 * v1.5/v1.6/v2.1 std 2, pro 3.5; v2-master and v2.1-master 10; v2.5-turbo 2.5; v2.6 5) at USD 0.14 a unit,
 * divided by 5 s; operators should set their own from their pack, or price Kling's units themselves (no default:
 * see {@link KlingUnits}). Keys: {@code kling/<model>/<mode>} per second of video, {@code kling/images/<model>} per
 * image, {@code kling/<model>} per call (video-extend, lip-sync, virtual try-on).
 */
final class KlingPrices {

    private KlingPrices() {}

    static Map<String, Price> table() {
        Map<String, Price> prices = new LinkedHashMap<>();
        video(prices, "kling-v1", "0.028", "0.098");
        video(prices, "kling-v1-5", "0.056", "0.098");
        video(prices, "kling-v1-6", "0.056", "0.098");
        video(prices, "kling-v2-1", "0.056", "0.098");
        video(prices, "kling-v2-master", "0.28", "0.28");
        video(prices, "kling-v2-1-master", "0.28", "0.28");
        video(prices, "kling-v2-5-turbo", "0.07", "0.07");
        video(prices, "kling-v2-6", "0.14", "0.14");
        for (String model : new String[] {"kling-v1", "kling-v1-5", "kling-v2", "kling-v2-new", "kling-v2-1"}) {
            prices.put("kling/images/" + model, Price.perImage("0.035"));
        }
        prices.put("kling/kling-video-extend", Price.perCall("0.14"));
        prices.put("kling/kling-lip-sync", Price.perCall("0.07"));
        prices.put("kling/kolors-virtual-try-on-v1", Price.perCall("0.14"));
        prices.put("kling/kolors-virtual-try-on-v1-5", Price.perCall("0.14"));
        return Map.copyOf(prices);
    }

    private static void video(Map<String, Price> prices, String model, String std, String pro) {
        prices.put("kling/" + model + "/std", Price.perSecond(std));
        prices.put("kling/" + model + "/pro", Price.perSecond(pro));
    }
}
