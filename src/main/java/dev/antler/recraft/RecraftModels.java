package dev.antler.recraft;

import java.util.List;
import java.util.Set;

/**
 * Recraft's image models as the gateway offers them (Recraft's 2026 API reference): V4 (the default), V4 Pro,
 * V3 and V2, each raster or {@code _vector}. What a model allows follows from its name: its generation (for
 * sizes, prompt length and whether {@code style} applies) and its kind (raster or vector, for the price).
 */
final class RecraftModels {

    static final String DEFAULT = "recraftv4";
    static final String DEFAULT_VECTOR = "recraftv4_vector";
    static final String DEFAULT_V3 = "recraftv3";

    static final List<String> ALL = List.of("recraftv4", "recraftv4_vector", "recraftv4_pro",
            "recraftv4_pro_vector", "recraftv3", "recraftv3_vector", "recraftv2", "recraftv2_vector");
    static final List<String> RASTER = ALL.stream().filter(m -> !isVector(m)).toList();
    static final List<String> VECTOR = ALL.stream().filter(RecraftModels::isVector).toList();
    /** Image to image runs on V3 and V4 (Recraft: "Works with Recraft V3, V4, and V4.1"). */
    static final List<String> IMAGE_TO_IMAGE = ALL.stream().filter(m -> !m.startsWith("recraftv2")).toList();
    /** Inpainting and the background operations run on V3 models only. */
    static final List<String> V3 = List.of("recraftv3", "recraftv3_vector");

    /** The aspect ratios every model takes as {@code size}; each stands for one size of the model's own list. */
    static final Set<String> ASPECTS = Set.of("1:1", "2:1", "1:2", "3:2", "2:3", "4:3", "3:4", "5:4", "4:5",
            "6:10", "14:10", "10:14", "16:9", "9:16");
    private static final Set<String> V4_SIZES = Set.of("1024x1024", "1536x768", "768x1536", "1280x832", "832x1280",
            "1216x896", "896x1216", "1152x896", "896x1152", "832x1344", "1280x896", "896x1280", "1344x768", "768x1344");
    private static final Set<String> V4_PRO_SIZES = Set.of("2048x2048", "3072x1536", "1536x3072", "2560x1664",
            "1664x2560", "2432x1792", "1792x2432", "2304x1792", "1792x2304", "1664x2688", "2560x1792", "1792x2560",
            "2688x1536", "1536x2688");
    private static final Set<String> LEGACY_SIZES = Set.of("1024x1024", "1365x1024", "1024x1365", "1536x1024",
            "1024x1536", "1820x1024", "1024x1820", "1024x2048", "2048x1024", "1434x1024", "1024x1434", "1024x1280",
            "1280x1024", "1024x1707", "1707x1024");

    private RecraftModels() {}

    static boolean isVector(String model) {
        return model.endsWith("_vector");
    }

    /** The model without its {@code _vector} suffix: {@code recraftv4_pro} for {@code recraftv4_pro_vector}. */
    static String base(String model) {
        return isVector(model) ? model.substring(0, model.length() - "_vector".length()) : model;
    }

    /** {@code raster} or {@code vector}: the part of a price key that says which output is priced. */
    static String kind(String model) {
        return isVector(model) ? "vector" : "raster";
    }

    /** V2 and V3 take {@code style}, {@code style_id} and {@code substyle}; V4 takes none of them. */
    static boolean takesStyles(String model) {
        return !model.startsWith("recraftv4");
    }

    static int maxPromptLength(String model) {
        return model.startsWith("recraftv4") ? 10_000 : 1_000;
    }

    /** The {@code WxH} sizes of {@code model} (its aspect ratios are {@link #ASPECTS}). */
    static Set<String> sizes(String model) {
        return switch (base(model)) {
            case "recraftv4" -> V4_SIZES;
            case "recraftv4_pro" -> V4_PRO_SIZES;
            default -> LEGACY_SIZES;
        };
    }
}
