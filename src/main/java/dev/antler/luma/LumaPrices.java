package dev.antler.luma;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Luma's list prices (USD) per video, by model, duration and resolution, at
 * {@code luma/<model>/<duration>/<resolution>}.
 * Luma prices its Dream Machine API per million pixels made — ray-2 $0.0064, ray-flash-2 $0.0022, ray-1-6 $0.0032
 * (lumalabs.ai API pricing) — which gives, at 24 fps, the per-video amounts below (as Comfy's API nodes list them,
 * docs.comfy.org "API Nodes pricing", Luma section). ray-1-6 takes neither a duration nor a resolution: one price.
 */
final class LumaPrices {

    private LumaPrices() {}

    static Map<String, Price> table() {
        Map<String, Price> prices = new LinkedHashMap<>();
        put(prices, "ray-2", "540p", "0.40", "0.72");
        put(prices, "ray-2", "720p", "0.71", "1.27");
        put(prices, "ray-2", "1080p", "1.59", "2.87");
        put(prices, "ray-2", "4k", "6.37", "11.47");
        put(prices, "ray-flash-2", "540p", "0.14", "0.25");
        put(prices, "ray-flash-2", "720p", "0.24", "0.44");
        put(prices, "ray-flash-2", "1080p", "0.55", "0.99");
        put(prices, "ray-flash-2", "4k", "2.19", "3.94");
        prices.put(key("ray-1-6", "5s", "720p"), Price.perCall("0.35"));
        return Map.copyOf(prices);
    }

    private static void put(Map<String, Price> prices, String model, String resolution, String five, String nine) {
        prices.put(key(model, "5s", resolution), Price.perCall(five));
        prices.put(key(model, "9s", resolution), Price.perCall(nine));
    }

    /** {@code luma/<model>/<duration>/<resolution>}. */
    static String key(String model, String duration, String resolution) {
        return "luma/" + model + "/" + duration + "/" + resolution;
    }
}
