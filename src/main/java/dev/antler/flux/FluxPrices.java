package dev.antler.flux;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flux's default prices (USD per image), BFL's list prices (bfl.ai/pricing; BFL's API skill, 1 credit = USD 0.01).
 * FLUX.2 is priced by megapixel — the first megapixel, then each further one of output and of reference images —
 * so its default here is the price of one 1 MP image without references (1024 x 1024 text-to-image): klein 4b
 * 0.014, klein 9b 0.015, pro 0.03, flex 0.05, max 0.07. Larger outputs and edits cost the operator more at BFL than
 * they are charged here; operators serving them should set their own price. Keys: {@code flux/<model>}.
 */
final class FluxPrices {

    private FluxPrices() {}

    static Map<String, Price> table() {
        Map<String, Price> prices = new LinkedHashMap<>();
        put(prices, FluxModel.FLUX_2_KLEIN_4B, "0.014");
        put(prices, FluxModel.FLUX_2_KLEIN_9B, "0.015");
        put(prices, FluxModel.FLUX_2_PRO, "0.03");
        put(prices, FluxModel.FLUX_2_FLEX, "0.05");
        put(prices, FluxModel.FLUX_2_MAX, "0.07");
        put(prices, FluxModel.FLUX_KONTEXT_PRO, "0.04");
        put(prices, FluxModel.FLUX_KONTEXT_MAX, "0.08");
        put(prices, FluxModel.FLUX_PRO_11_ULTRA, "0.06");
        put(prices, FluxModel.FLUX_PRO_11, "0.04");
        put(prices, FluxModel.FLUX_PRO, "0.05");
        put(prices, FluxModel.FLUX_DEV, "0.025");
        put(prices, FluxModel.FLUX_PRO_FILL, "0.05");
        put(prices, FluxModel.FLUX_PRO_EXPAND, "0.05");
        put(prices, FluxModel.FLUX_PRO_CANNY, "0.05");
        put(prices, FluxModel.FLUX_PRO_DEPTH, "0.05");
        return Map.copyOf(prices);
    }

    private static void put(Map<String, Price> prices, FluxModel model, String usd) {
        prices.put(model.priceKey(), Price.perImage(usd));
    }
}
