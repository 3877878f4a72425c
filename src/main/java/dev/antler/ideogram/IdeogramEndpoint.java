package dev.antler.ideogram;

/**
 * The ten Ideogram endpoints the gateway understands. Each is served at {@code /ideogram} plus its
 * native path and at the native path itself, so an Ideogram client changes only its base URL.
 */
enum IdeogramEndpoint {
    GENERATE("/generate", "generate"),
    REMIX("/remix", "remix"),
    UPSCALE("/upscale", "upscale"),
    DESCRIBE("/describe", "describe"),
    EDIT("/edit", "edit"),
    V3_GENERATE("/v1/ideogram-v3/generate", "v3/generate"),
    V3_EDIT("/v1/ideogram-v3/edit", "v3/edit"),
    V3_REMIX("/v1/ideogram-v3/remix", "v3/remix"),
    V3_REFRAME("/v1/ideogram-v3/reframe", "v3/reframe"),
    V3_REPLACE_BACKGROUND("/v1/ideogram-v3/replace-background", "v3/replace-background");

    private final String nativePath;
    private final String slug;

    IdeogramEndpoint(String nativePath, String slug) {
        this.nativePath = nativePath;
        this.slug = slug;
    }

    /** The path at Ideogram, e.g. {@code /v1/ideogram-v3/edit}. */
    String nativePath() {
        return nativePath;
    }

    /** The endpoint's part of its price keys, e.g. {@code v3/edit}. */
    String slug() {
        return slug;
    }

    /** The operation name in logs and the usage log, e.g. {@code ideogram.v3.edit}. */
    String operationName() {
        return "ideogram." + slug.replace('/', '.');
    }

    boolean isV3() {
        return slug.startsWith("v3/");
    }

    /** Whether the answer is billed per image returned (all but describe, which is billed per call). */
    boolean perImage() {
        return this != DESCRIBE;
    }

    /** V3 endpoints that take character reference images, which Ideogram prices higher. */
    boolean takesCharacterReferences() {
        return this == V3_GENERATE || this == V3_EDIT || this == V3_REMIX;
    }
}
