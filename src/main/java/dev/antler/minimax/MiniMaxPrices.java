package dev.antler.minimax;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MiniMax's list prices (USD, pay as you go, platform.minimax.io/docs/guides/pricing-paygo). V1 videos are sold
 * per video by model, length and resolution, under {@code minimax/<model>/<seconds>/<resolution>}: Hailuo-2.3
 * and Hailuo-02 $0.28 (768P 6 s), $0.56 (768P 10 s), $0.49 (1080P 6 s); Hailuo-2.3-Fast $0.19, $0.32, $0.33;
 * Hailuo-02 at 512P $0.10 (6 s) and $0.15 (10 s); the 01 models (720P 6 s) $0.43, S2V-01 $0.65 (MiniMax's earlier
 * list, kept while it serves them). V2's MiniMax-H3 is sold per second, {@code minimax/MiniMax-H3/<resolution>}:
 * $0.08 at 768P, $0.13 at 2K (reference video billed by its seconds at the same rate; reference images beyond
 * the fifth, $0.04 each, are not charged by the gateway). Operators set their own in the price table.
 */
final class MiniMaxPrices {

    private MiniMaxPrices() {}

    static Map<String, Price> table() {
        Map<String, Price> prices = new LinkedHashMap<>();
        for (String model : new String[] {"MiniMax-Hailuo-2.3", "MiniMax-Hailuo-02"}) {
            video(prices, model, 6, "768P", "0.28");
            video(prices, model, 10, "768P", "0.56");
            video(prices, model, 6, "1080P", "0.49");
        }
        video(prices, "MiniMax-Hailuo-02", 6, "512P", "0.10");
        video(prices, "MiniMax-Hailuo-02", 10, "512P", "0.15");
        video(prices, "MiniMax-Hailuo-2.3-Fast", 6, "768P", "0.19");
        video(prices, "MiniMax-Hailuo-2.3-Fast", 10, "768P", "0.32");
        video(prices, "MiniMax-Hailuo-2.3-Fast", 6, "1080P", "0.33");
        for (String model : new String[] {"T2V-01-Director", "T2V-01", "video-01", "I2V-01-Director", "I2V-01-live",
                "I2V-01"}) {
            video(prices, model, 6, "720P", "0.43");
        }
        video(prices, "S2V-01", 6, "720P", "0.65");
        prices.put("minimax/MiniMax-H3/768P", Price.perSecond("0.08"));
        prices.put("minimax/MiniMax-H3/2K", Price.perSecond("0.13"));
        return Map.copyOf(prices);
    }

    private static void video(Map<String, Price> prices, String model, int seconds, String resolution, String usd) {
        prices.put("minimax/" + model + "/" + seconds + "/" + resolution, Price.perCall(usd));
    }
}
