package dev.antler.replicate;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replicate's list prices (USD) for popular models, from each model's page on replicate.com and replicate.com/pricing
 * (2025–2026). Keys {@code replicate/<owner>/<name>}. A model sold per output image is priced per image (held for its
 * {@code num_outputs}, settled on the images made); a model sold by the hardware's time per second of
 * {@code metrics.predict_time} (sdxl runs on an Nvidia L40S, USD 0.000975/s). A price set per call is charged per
 * prediction. Other models: the operator sets {@code replicate/<owner>/<name>} in the same three ways.
 */
final class ReplicatePrices {

    static final String PREFIX = "replicate/";

    private ReplicatePrices() {}

    static Map<String, Price> table() {
        Map<String, Price> prices = new LinkedHashMap<>();
        image(prices, "black-forest-labs/flux-1.1-pro", "0.04");
        image(prices, "black-forest-labs/flux-1.1-pro-ultra", "0.06");
        image(prices, "black-forest-labs/flux-pro", "0.055");
        image(prices, "black-forest-labs/flux-dev", "0.025");
        image(prices, "black-forest-labs/flux-schnell", "0.003");
        image(prices, "black-forest-labs/flux-kontext-pro", "0.04");
        image(prices, "black-forest-labs/flux-kontext-max", "0.08");
        image(prices, "recraft-ai/recraft-v3", "0.04");
        image(prices, "recraft-ai/recraft-v3-svg", "0.08");
        image(prices, "ideogram-ai/ideogram-v3-turbo", "0.03");
        image(prices, "ideogram-ai/ideogram-v3-balanced", "0.06");
        image(prices, "ideogram-ai/ideogram-v3-quality", "0.09");
        prices.put(PREFIX + "stability-ai/sdxl", Price.perSecond("0.000975"));
        return Map.copyOf(prices);
    }

    private static void image(Map<String, Price> prices, String model, String usd) {
        prices.put(PREFIX + model, Price.perImage(usd));
    }
}
