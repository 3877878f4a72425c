package dev.antler.ideogram;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SequencedSet;

/** The enumerated values Ideogram's API accepts (its OpenAPI definition), checked before anything is charged. */
final class IdeogramEnums {

    /** Legacy {@code model}: /generate and /remix take all of them. */
    static final SequencedSet<String> LEGACY_MODELS = of("V_1", "V_1_TURBO", "V_2", "V_2_TURBO", "V_2A", "V_2A_TURBO",
            "V_3", "AUTO");
    /** Legacy /edit supports only these models. */
    static final SequencedSet<String> EDIT_MODELS = of("V_2", "V_2_TURBO");
    /** The model legacy /generate, /remix and /edit use when none is given (Ideogram's own default). */
    static final String DEFAULT_LEGACY_MODEL = "V_2";
    /** What the V3 endpoints route as: they have no model field. */
    static final String V3_MODEL = "V_3";
    /** What legacy /upscale routes as: Ideogram's upscaler has no model choice. */
    static final String UPSCALE_MODEL = "UPSCALE";
    /** What pass-through paths route as. */
    static final String OTHER_MODEL = "OTHER";

    static final SequencedSet<String> DESCRIBE_MODELS = of("V_2", "V_3");
    static final String DEFAULT_DESCRIBE_MODEL = "V_3";

    static final SequencedSet<String> MAGIC_PROMPT = of("AUTO", "ON", "OFF");
    static final SequencedSet<String> LEGACY_STYLES = of("AUTO", "GENERAL", "REALISTIC", "DESIGN", "RENDER_3D", "ANIME",
            "FICTION", "CUSTOM", "STYLIZED");
    static final SequencedSet<String> V3_STYLES = of("AUTO", "GENERAL", "REALISTIC", "DESIGN", "FICTION", "CUSTOM",
            "STYLIZED");
    static final SequencedSet<String> RENDERING_SPEEDS = of("FLASH", "TURBO", "BALANCED", "DEFAULT", "QUALITY");
    static final String DEFAULT_RENDERING_SPEED = "DEFAULT";

    static final SequencedSet<String> LEGACY_ASPECT_RATIOS = of("ASPECT_1_1", "ASPECT_10_16", "ASPECT_16_10",
            "ASPECT_9_16", "ASPECT_16_9", "ASPECT_3_2", "ASPECT_2_3", "ASPECT_4_3", "ASPECT_3_4", "ASPECT_1_3",
            "ASPECT_3_1", "ASPECT_4_5", "ASPECT_5_4");
    static final SequencedSet<String> V3_ASPECT_RATIOS = of("1x1", "1x3", "3x1", "1x2", "2x1", "9x16", "16x9", "10x16",
            "16x10", "2x3", "3x2", "3x4", "4x3", "4x5", "5x4");

    /** Ideogram 3.0's 69 resolutions, width x height. */
    static final SequencedSet<String> V3_RESOLUTIONS = of(("512x1536 576x1408 576x1472 576x1536 640x1344 640x1408 "
            + "640x1472 640x1536 704x1152 704x1216 704x1280 704x1344 704x1408 704x1472 736x1312 768x1088 768x1216 "
            + "768x1280 768x1344 800x1280 832x960 832x1024 832x1088 832x1152 832x1216 832x1248 864x1152 896x960 "
            + "896x1024 896x1088 896x1120 896x1152 960x832 960x896 960x1024 960x1088 1024x832 1024x896 1024x960 "
            + "1024x1024 1088x768 1088x832 1088x896 1088x960 1120x896 1152x704 1152x832 1152x864 1152x896 1216x704 "
            + "1216x768 1216x832 1248x832 1280x704 1280x768 1280x800 1312x736 1344x640 1344x704 1344x768 1408x576 "
            + "1408x640 1408x704 1472x576 1472x640 1472x704 1536x512 1536x576 1536x640").split(" "));

    /** The legacy resolutions, {@code RESOLUTION_W_H}. */
    static final SequencedSet<String> LEGACY_RESOLUTIONS = of(("512_1536 576_1408 576_1472 576_1536 640_1024 640_1344 "
            + "640_1408 640_1472 640_1536 704_1152 704_1216 704_1280 704_1344 704_1408 704_1472 720_1280 736_1312 "
            + "768_1024 768_1088 768_1152 768_1216 768_1232 768_1280 768_1344 832_960 832_1024 832_1088 832_1152 "
            + "832_1216 832_1248 864_1152 896_960 896_1024 896_1088 896_1120 896_1152 960_832 960_896 960_1024 "
            + "960_1088 1024_640 1024_768 1024_832 1024_896 1024_960 1024_1024 1088_768 1088_832 1088_896 1088_960 "
            + "1120_896 1152_704 1152_768 1152_832 1152_864 1152_896 1216_704 1216_768 1216_832 1232_768 1248_832 "
            + "1280_704 1280_720 1280_768 1280_800 1312_736 1344_640 1344_704 1344_768 1408_576 1408_640 1408_704 "
            + "1472_576 1472_640 1472_704 1536_512 1536_576 1536_640").replaceAll("(\\S+)", "RESOLUTION_$1").split(" "));

    private IdeogramEnums() {}

    private static SequencedSet<String> of(String... values) {
        return java.util.Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(values)));
    }

    /** How an enum is described in an error message: all its values, or a few for the long resolution lists. */
    static String describe(Set<String> values) {
        List<String> list = List.copyOf(values);
        if (list.size() <= 16) {
            return "one of " + String.join(", ", list);
        }
        return "one of Ideogram's " + list.size() + " values such as " + String.join(", ", list.subList(0, 3))
                + " (see Ideogram's API reference)";
    }
}
