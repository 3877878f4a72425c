package dev.antler.recraft;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The price keys of the Recraft family and their list prices (Recraft's API pricing page, 2026: 1,000 API
 * units = USD 1). Any of them can be overridden like every price (config {@code prices:}, admin API).
 *
 * <ul>
 *   <li>{@code recraft/<model>/raster|vector}: a generated image, by model ({@code recraftv4}, {@code recraftv4_pro},
 *       {@code recraftv3}, {@code recraftv2}) and output; per image returned
 *   <li>{@code recraft/<edit>/<model>/raster|vector}: an edited image ({@code imageToImage}, {@code inpaint},
 *       {@code replaceBackground}, {@code generateBackground}); per image returned
 *   <li>{@code recraft/vectorize}, {@code recraft/removeBackground}, {@code recraft/crispUpscale},
 *       {@code recraft/creativeUpscale}, {@code recraft/eraseRegion}, {@code recraft/styles}: per call
 * </ul>
 */
final class RecraftPrices {

    /** USD per image by model, raster then vector. */
    private static final Map<String, String[]> GENERATION = new LinkedHashMap<>();

    static {
        GENERATION.put("recraftv4", new String[] {"0.04", "0.08"});
        GENERATION.put("recraftv4_pro", new String[] {"0.25", "0.30"});
        GENERATION.put("recraftv3", new String[] {"0.04", "0.08"});
        GENERATION.put("recraftv2", new String[] {"0.022", "0.044"});
    }

    private RecraftPrices() {}

    /** The price key of {@code endpoint} for {@code model} (null for a tool, which has none). */
    static String key(RecraftEndpoint endpoint, String model) {
        if (!endpoint.takesModel()) {
            return "recraft/" + endpoint.operation();
        }
        String priced = RecraftModels.base(model) + "/" + RecraftModels.kind(model);
        return endpoint.isGeneration() ? "recraft/" + priced : "recraft/" + endpoint.operation() + "/" + priced;
    }

    /** The model a tool is routed and logged as (one-hub's naming): {@code recraft_vectorize}. */
    static String toolModel(RecraftEndpoint endpoint) {
        return "recraft_" + endpoint.operation();
    }

    /**
     * Recraft's list prices. Edits are listed for V3 at V3's generation prices (USD 0.04 raster, 0.08 vector per
     * image); image to image on V4 and V4 Pro is priced here as a generation on that model. Tools per request:
     * vectorize and background removal 0.01, crisp upscale 0.004, creative upscale 0.25, region erase 0.002,
     * style creation 0.04.
     */
    static Map<String, Price> table() {
        Map<String, Price> t = new LinkedHashMap<>();
        for (RecraftEndpoint endpoint : RecraftEndpoint.values()) {
            if (endpoint.takesModel()) {
                for (String model : endpoint.models()) {
                    String[] usd = GENERATION.get(RecraftModels.base(model));
                    t.put(key(endpoint, model), Price.perImage(usd[RecraftModels.isVector(model) ? 1 : 0]));
                }
            }
        }
        t.put("recraft/vectorize", Price.perCall("0.01"));
        t.put("recraft/removeBackground", Price.perCall("0.01"));
        t.put("recraft/crispUpscale", Price.perCall("0.004"));
        t.put("recraft/creativeUpscale", Price.perCall("0.25"));
        t.put("recraft/eraseRegion", Price.perCall("0.002"));
        t.put("recraft/styles", Price.perCall("0.04"));
        return t;
    }
}
