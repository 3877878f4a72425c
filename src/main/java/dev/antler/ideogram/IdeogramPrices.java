package dev.antler.ideogram;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The price keys of the Ideogram family and their list prices. Prices differ per endpoint and per
 * {@code model} (legacy endpoints) or per {@code rendering_speed} (Ideogram 3.0), so the relay looks them
 * up by these keys rather than by the routing model; any of them can be overridden like every price
 * (config {@code prices:}, admin API).
 *
 * <ul>
 *   <li>{@code ideogram/generate/V_2}, {@code ideogram/remix/V_2_TURBO}, {@code ideogram/edit/V_2}: legacy, per image
 *   <li>{@code ideogram/upscale}: per image; {@code ideogram/describe}: per call
 *   <li>{@code ideogram/v3/edit/TURBO}: Ideogram 3.0, per image; with character reference images
 *       {@code ideogram/v3/edit/TURBO/character}
 *   <li>{@code ideogram/other}: any other path under {@code /ideogram/}, per call
 * </ul>
 */
final class IdeogramPrices {

    static final String UPSCALE = "ideogram/upscale";
    static final String DESCRIBE = "ideogram/describe";
    static final String OTHER = "ideogram/other";

    private IdeogramPrices() {}

    static String legacy(IdeogramEndpoint endpoint, String model) {
        return "ideogram/" + endpoint.slug() + "/" + model;
    }

    static String v3(IdeogramEndpoint endpoint, String renderingSpeed, boolean characterReference) {
        return "ideogram/" + endpoint.slug() + "/" + renderingSpeed + (characterReference ? "/character" : "");
    }

    /**
     * Ideogram's list prices: per image by endpoint and model (legacy) or endpoint and rendering speed (3.0;
     * higher with character reference images), upscale per image, describe per call, and
     * {@code ideogram/other} per call for pass-through paths. AUTO is priced as V_2, the dearest model it
     * may pick; BALANCED as DEFAULT, which it replaces.
     */
    static Map<String, Price> table() {
        Map<String, Price> t = new LinkedHashMap<>();
        Map<String, String> legacy = new LinkedHashMap<>();
        legacy.put("V_1", "0.06");
        legacy.put("V_1_TURBO", "0.02");
        legacy.put("V_2", "0.08");
        legacy.put("V_2_TURBO", "0.05");
        legacy.put("V_2A", "0.04");
        legacy.put("V_2A_TURBO", "0.025");
        legacy.put("V_3", "0.06");
        legacy.put("AUTO", "0.08");
        for (String endpoint : new String[] {"generate", "remix"}) {
            legacy.forEach((model, usd) -> t.put("ideogram/" + endpoint + "/" + model, Price.perImage(usd)));
        }
        t.put("ideogram/edit/V_2", Price.perImage("0.08"));
        t.put("ideogram/edit/V_2_TURBO", Price.perImage("0.05"));
        t.put(UPSCALE, Price.perImage("0.06"));
        t.put(DESCRIBE, Price.perCall("0.01"));
        String[] speeds = {"FLASH", "TURBO", "BALANCED", "DEFAULT", "QUALITY"};
        String[] perImage = {"0.03", "0.03", "0.06", "0.06", "0.09"};
        String[] withCharacter = {"0.10", "0.10", "0.15", "0.15", "0.20"};
        for (String endpoint : new String[] {"generate", "edit", "remix", "reframe", "replace-background"}) {
            for (int i = 0; i < speeds.length; i++) {
                t.put("ideogram/v3/" + endpoint + "/" + speeds[i], Price.perImage(perImage[i]));
                if (!endpoint.equals("reframe") && !endpoint.equals("replace-background")) {
                    t.put("ideogram/v3/" + endpoint + "/" + speeds[i] + "/character", Price.perImage(withCharacter[i]));
                }
            }
        }
        t.put(OTHER, Price.perCall("0.10"));
        return t;
    }
}
