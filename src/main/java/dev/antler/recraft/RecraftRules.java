package dev.antler.recraft;

import static dev.antler.recraft.RecraftChecks.invalid;
import static dev.antler.recraft.RecraftChecks.quote;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What each Recraft endpoint requires and accepts, checked before anything is held or sent: the input images,
 * {@code model} (the endpoint's models; the default when absent), {@code prompt} and its length per model,
 * {@code n} 1–6, {@code size} from the model's list, {@code style}, {@code style_id} and {@code substyle} on V2
 * and V3 only, image to image's {@code strength}, and {@code response_format}. Returns what routing, pricing
 * and the upstream body need.
 */
final class RecraftRules {

    static final int MAX_IMAGES = 6;
    private static final List<String> RESPONSE_FORMATS = List.of("url", "b64_json");
    private static final List<String> STYLE_FIELDS = List.of("style", "style_id", "substyle");
    /** Recraft's V2/V3 style names of the other output, refused on the raster and vector generation routes. */
    private static final Set<String> VECTOR_STYLES = Set.of("vector_illustration", "icon");
    private static final Set<String> RASTER_STYLES = Set.of("realistic_image", "digital_illustration", "logo_raster");

    /**
     * @param model        the routing model: the Recraft model, or {@code recraft_<tool>} for a tool
     * @param priceKey     the price to charge per image (per call for a tool)
     * @param count        the images asked for ({@code n}); 1 for a tool
     * @param insertModel  whether the body has no {@code model}: the default is sent, so Recraft's own default
     *                     (which may change) never makes an image priced as another model
     * @param inlineImages whether the answer carries the images as base64 ({@code response_format: b64_json})
     */
    record Checked(String model, String priceKey, long count, boolean insertModel, boolean inlineImages) {}

    private RecraftRules() {}

    static Checked check(RecraftEndpoint endpoint, RecraftFields fields) {
        for (RecraftEndpoint.Input input : endpoint.inputs()) {
            fields.requireImages(input);
        }
        String format = fields.scalar("response_format");
        if (format != null && !RESPONSE_FORMATS.contains(format)) {
            throw invalid("response_format", quote(format), RecraftChecks.oneOf(RESPONSE_FORMATS));
        }
        boolean inline = "b64_json".equals(format);
        if (!endpoint.takesModel()) {
            return new Checked(RecraftPrices.toolModel(endpoint), RecraftPrices.key(endpoint, null), 1, false, inline);
        }
        String given = fields.scalar("model");
        String model = given == null ? endpoint.defaultModel() : given;
        if (!endpoint.models().contains(model)) {
            throw invalid("model", quote(model), RecraftChecks.oneOf(endpoint.models()));
        }
        prompt(model, fields.scalar("prompt"));
        long n = RecraftChecks.integer("n", fields.scalar("n"), 1, MAX_IMAGES, 1);
        styles(endpoint, model, fields);
        if (endpoint.isGeneration()) {
            size(model, fields.scalar("size"));
        }
        if (endpoint == RecraftEndpoint.IMAGE_TO_IMAGE) {
            String strength = fields.scalar("strength");
            if (strength == null) {
                throw RecraftChecks.missing("strength",
                        "a number from 0 to 1: how far the result may move from the image");
            }
            RecraftChecks.number("strength", strength, 0, 1);
        }
        for (String references : List.of("style_references", "style_reference_urls")) {
            if (fields.given(references)) {
                throw invalid(references, "given", "not given: create a style with POST /recraft/v1/styles and pass"
                        + " its style_id (a generation with style references also creates a style)");
            }
        }
        return new Checked(model, RecraftPrices.key(endpoint, model), n, given == null, inline);
    }

    private static void prompt(String model, String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw RecraftChecks.missing("prompt", "a text describing the image");
        }
        int length = prompt.codePointCount(0, prompt.length());
        int max = RecraftModels.maxPromptLength(model);
        if (length > max) {
            throw invalid("prompt", length + " characters", "at most " + max + " with model " + model);
        }
    }

    private static void styles(RecraftEndpoint endpoint, String model, RecraftFields fields) {
        for (String field : STYLE_FIELDS) {
            if (fields.given(field) && !RecraftModels.takesStyles(model)) {
                throw invalid(field, "given with model " + model, "not given: style, style_id and substyle apply to"
                        + " the V2 and V3 models only (recraftv3, recraftv3_vector, recraftv2, recraftv2_vector)");
            }
        }
        if (fields.given("style") && fields.given("style_id")) {
            throw invalid("style_id", "given with style", "one of style or style_id, not both");
        }
        String style = fields.scalar("style");
        boolean raster = endpoint == RecraftEndpoint.GENERATE_RASTER;
        Set<String> refused = raster ? VECTOR_STYLES
                : endpoint == RecraftEndpoint.GENERATE_VECTOR ? RASTER_STYLES : Set.of();
        if (style != null && refused.contains(style)) {
            throw invalid("style", quote(style), "not one of " + String.join(", ", new TreeSet<>(refused)) + " on "
                    + (raster ? "the raster route" : "the vector route"));
        }
    }

    private static void size(String model, String size) {
        if (size == null || RecraftModels.ASPECTS.contains(size) || RecraftModels.sizes(model).contains(size)) {
            return;
        }
        throw invalid("size", quote(size), "an aspect ratio w:h, one of "
                + String.join(", ", sorted(RecraftModels.ASPECTS)) + ", or a size WxH of " + model + ", one of "
                + String.join(", ", sorted(RecraftModels.sizes(model))));
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
