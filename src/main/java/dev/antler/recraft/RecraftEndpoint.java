package dev.antler.recraft;

import java.util.List;

/**
 * The Recraft endpoints the gateway serves, each at {@code /recraft} plus Recraft's own path (and one-hub's
 * {@code /recraftAI} alias). Generations and edits take a {@code model} and are priced per image returned;
 * the tools are priced per call. Every endpoint takes JSON (images as URLs or data URLs) or a multipart form
 * (images as files), as Recraft does.
 */
enum RecraftEndpoint {
    GENERATE("/v1/images/generations", "generations", RecraftModels.ALL, RecraftModels.DEFAULT, Images.NONE),
    GENERATE_RASTER("/v1/images/generations/raster", "generations", RecraftModels.RASTER, RecraftModels.DEFAULT,
            Images.NONE),
    GENERATE_VECTOR("/v1/images/generations/vector", "generations", RecraftModels.VECTOR,
            RecraftModels.DEFAULT_VECTOR, Images.NONE),
    IMAGE_TO_IMAGE("/v1/images/imageToImage", "imageToImage", RecraftModels.IMAGE_TO_IMAGE, RecraftModels.DEFAULT,
            Images.IMAGE),
    INPAINT("/v1/images/inpaint", "inpaint", RecraftModels.V3, RecraftModels.DEFAULT_V3, Images.IMAGE_AND_MASK),
    REPLACE_BACKGROUND("/v1/images/replaceBackground", "replaceBackground", RecraftModels.V3, RecraftModels.DEFAULT_V3,
            Images.IMAGE),
    GENERATE_BACKGROUND("/v1/images/generateBackground", "generateBackground", RecraftModels.V3,
            RecraftModels.DEFAULT_V3, Images.IMAGE_AND_MASK),
    VECTORIZE("/v1/images/vectorize", "vectorize", null, null, Images.IMAGE),
    REMOVE_BACKGROUND("/v1/images/removeBackground", "removeBackground", null, null, Images.IMAGE),
    /** Recraft's earlier name of crisp upscale, still served. */
    CLARITY_UPSCALE("/v1/images/clarityUpscale", "crispUpscale", null, null, Images.IMAGE),
    CRISP_UPSCALE("/v1/images/crispUpscale", "crispUpscale", null, null, Images.IMAGE),
    /** Recraft's earlier name of creative upscale, still served. */
    GENERATIVE_UPSCALE("/v1/images/generativeUpscale", "creativeUpscale", null, null, Images.IMAGE),
    CREATIVE_UPSCALE("/v1/images/creativeUpscale", "creativeUpscale", null, null, Images.IMAGE),
    ERASE_REGION("/v1/images/eraseRegion", "eraseRegion", null, null, Images.IMAGE_AND_MASK),
    CREATE_STYLE("/v1/styles", "styles", null, null, Images.STYLE_REFERENCES);

    /** The input images an endpoint requires: form file parts, or JSON URL fields. */
    enum Images {
        NONE(List.of()),
        IMAGE(List.of(new Input("image", "image_url", false))),
        IMAGE_AND_MASK(List.of(new Input("image", "image_url", false), new Input("mask", "mask_url", false))),
        /** One or more reference images: form parts {@code images}, or the JSON array {@code image_urls}. */
        STYLE_REFERENCES(List.of(new Input("images", "image_urls", true)));

        final List<Input> inputs;

        Images(List<Input> inputs) {
            this.inputs = inputs;
        }
    }

    /** One input image (or, {@code many}, one or more): its form part name and its JSON field name. */
    record Input(String part, String jsonField, boolean many) {}

    private final String path;
    private final String operation;
    private final List<String> models;
    private final String defaultModel;
    private final Images images;

    RecraftEndpoint(String path, String operation, List<String> models, String defaultModel, Images images) {
        this.path = path;
        this.operation = operation;
        this.models = models;
        this.defaultModel = defaultModel;
        this.images = images;
    }

    /** Recraft's path, e.g. {@code /v1/images/vectorize}. */
    String path() {
        return path;
    }

    /** The operation's name in price keys and logs, e.g. {@code crispUpscale} for both upscale paths. */
    String operation() {
        return operation;
    }

    boolean isGeneration() {
        return operation.equals("generations");
    }

    /** Whether the endpoint takes a {@code model} and makes {@code n} images, each priced by its model. */
    boolean takesModel() {
        return models != null;
    }

    /** The models it accepts, in the order error messages list them; null for a tool. */
    List<String> models() {
        return models;
    }

    String defaultModel() {
        return defaultModel;
    }

    List<Input> inputs() {
        return images.inputs;
    }

    /** Whether the answer carries images (an {@code image} or {@code data[]}) that may be mirrored. */
    boolean returnsImages() {
        return this != CREATE_STYLE;
    }
}
