package dev.antler.ideogram;

import dev.antler.multipart.Part;

/**
 * What each multipart Ideogram endpoint requires and accepts, checked before anything is held or sent:
 * required fields, enum values, ranges and images. Returns what routing, pricing and the upstream body need.
 */
final class FormRules {

    private static final String PROMPT = "a text describing the image";

    private FormRules() {}

    /**
     * @param model        the routing model
     * @param priceKey     the price to charge per image (per call for describe)
     * @param count        the images asked for
     * @param modelPart    the legacy {@code model} part, rewritten when a channel maps the model; null if absent
     * @param insertModel  whether to add a {@code model} field (legacy /edit without one)
     * @param imageRequestPart  the legacy {@code image_request} part, or null
     * @param imageRequest the checked {@code image_request}, or null
     */
    record Inspection(String model, String priceKey, long count, Part modelPart, boolean insertModel,
                      Part imageRequestPart, ImageRequests.Checked imageRequest) {}

    static Inspection inspect(IdeogramEndpoint endpoint, IdeogramForm form) {
        form.requireParts();
        return switch (endpoint) {
            case REMIX, UPSCALE -> withImageRequest(endpoint, form);
            case DESCRIBE -> describe(form);
            case EDIT -> edit(form);
            case GENERATE -> throw new IllegalArgumentException("endpoint: GENERATE (expected: a multipart endpoint)");
            default -> v3(endpoint, form);
        };
    }

    private static Inspection withImageRequest(IdeogramEndpoint endpoint, IdeogramForm form) {
        form.requiredImage("image_file");
        String json = form.required("image_request", "a JSON object such as {\"prompt\": \"...\"}");
        ImageRequests.Checked checked = ImageRequests.check(endpoint, ImageRequests.parse(json));
        Part part = form.partOf("image_request");
        if (endpoint == IdeogramEndpoint.UPSCALE) {
            return new Inspection(IdeogramEnums.UPSCALE_MODEL, IdeogramPrices.UPSCALE, checked.count(), null, false,
                    part, checked);
        }
        return new Inspection(checked.model(), IdeogramPrices.legacy(endpoint, checked.model()), checked.count(), null,
                false, part, checked);
    }

    private static Inspection describe(IdeogramForm form) {
        form.requiredImage("image_file");
        String version = Checks.oneOf("describe_model_version", form.optional("describe_model_version"),
                IdeogramEnums.DESCRIBE_MODELS);
        String model = version == null ? IdeogramEnums.DEFAULT_DESCRIBE_MODEL : version;
        return new Inspection(model, IdeogramPrices.DESCRIBE, 1, null, false, null, null);
    }

    private static Inspection edit(IdeogramForm form) {
        form.requiredImage("image_file");
        form.requiredImage("mask");
        form.required("prompt", PROMPT);
        String given = Checks.oneOf("model", form.optional("model"), IdeogramEnums.EDIT_MODELS);
        String model = given == null ? IdeogramEnums.DEFAULT_LEGACY_MODEL : given;
        Checks.oneOf("magic_prompt_option", form.optional("magic_prompt_option"), IdeogramEnums.MAGIC_PROMPT);
        Checks.oneOf("style_type", form.optional("style_type"), IdeogramEnums.LEGACY_STYLES);
        long count = common(form);
        return new Inspection(model, IdeogramPrices.legacy(IdeogramEndpoint.EDIT, model), count,
                form.partOf("model"), given == null, null, null);
    }

    private static Inspection v3(IdeogramEndpoint endpoint, IdeogramForm form) {
        if (endpoint != IdeogramEndpoint.V3_GENERATE) {
            form.requiredImage("image");
        }
        if (endpoint == IdeogramEndpoint.V3_EDIT) {
            form.requiredImage("mask");
        }
        if (endpoint != IdeogramEndpoint.V3_REFRAME) {
            form.required("prompt", PROMPT);
        }
        String resolution = Checks.oneOf("resolution", form.optional("resolution"), IdeogramEnums.V3_RESOLUTIONS);
        if (endpoint == IdeogramEndpoint.V3_REFRAME && resolution == null) {
            throw Checks.missing("resolution", IdeogramEnums.describe(IdeogramEnums.V3_RESOLUTIONS));
        }
        String aspectRatio = Checks.oneOf("aspect_ratio", form.optional("aspect_ratio"), IdeogramEnums.V3_ASPECT_RATIOS);
        if (aspectRatio != null && resolution != null) {
            throw Checks.invalid("aspect_ratio", Checks.quote(aspectRatio), "not together with resolution; give one");
        }
        String speed = Checks.oneOf("rendering_speed", form.optional("rendering_speed"), IdeogramEnums.RENDERING_SPEEDS);
        Checks.oneOf("magic_prompt", form.optional("magic_prompt"), IdeogramEnums.MAGIC_PROMPT);
        Checks.oneOf("style_type", form.optional("style_type"), IdeogramEnums.V3_STYLES);
        if (endpoint == IdeogramEndpoint.V3_REMIX) {
            Checks.integer("image_weight", form.optional("image_weight"), 1, 100, 50);
        }
        form.optionalImages("style_reference_images");
        int characters = form.optionalImages("character_reference_images");
        form.optionalImages("character_reference_images_mask");
        long count = common(form);
        String priceKey = IdeogramPrices.v3(endpoint, speed == null ? IdeogramEnums.DEFAULT_RENDERING_SPEED : speed,
                characters > 0 && endpoint.takesCharacterReferences());
        return new Inspection(IdeogramEnums.V3_MODEL, priceKey, count, null, false, null, null);
    }

    /** {@code num_images} and {@code seed}, on every form endpoint that has them. */
    private static long common(IdeogramForm form) {
        long count = Checks.integer("num_images", form.optional("num_images"), 1, Checks.MAX_IMAGES, 1);
        Checks.integer("seed", form.optional("seed"), 0, Checks.MAX_SEED, 0);
        return count;
    }
}
