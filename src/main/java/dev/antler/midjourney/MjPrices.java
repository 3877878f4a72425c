package dev.antler.midjourney;

import dev.antler.billing.Price;
import dev.antler.billing.Usd;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Midjourney's default prices per action ({@code mj_<action>}), for submits without a speed prefix and
 * {@code /mj-fast}; {@code mj_<action>_relax} and {@code mj_<action>_turbo} price the other speeds
 * ({@code mj_<action>_fast} may be set too). A mode without its own price is charged the action's price.
 */
final class MjPrices {

    private MjPrices() {}

    static Map<String, Price> table() {
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
        Map<String, Price> t = new LinkedHashMap<>();
        actions.forEach((action, usd) -> {
            long nanos = Usd.parse(usd);
            t.put("mj_" + action, Price.perCall(usd));
            t.put("mj_" + action + "_relax", new Price(null, null, null, null, null, nanos / 2, null));
            t.put("mj_" + action + "_turbo", new Price(null, null, null, null, null, nanos * 2, null));
        });
        return t;
    }
}
