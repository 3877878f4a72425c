package dev.antler.flux;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The models BFL serves at {@code POST /v1/{model}}, each with what its body takes (BFL's API reference): the
 * FLUX.2 models size by {@code width}/{@code height} (multiples of 16, at least 64, at most 4 MP) and take up to
 * {@link #maxImages} reference images ({@code input_image}, {@code input_image_2}, ...); Kontext and Ultra size by
 * {@code aspect_ratio}; FLUX.1 [pro]/[dev] by {@code width}/{@code height} (multiples of 32, 256 to 1440); the
 * FLUX.1 tools (fill, expand, canny, depth) work on an {@code image} or a {@code control_image}.
 */
enum FluxModel {
    FLUX_2_MAX("flux-2-max", Kind.FLUX2, 8),
    FLUX_2_PRO("flux-2-pro", Kind.FLUX2, 8),
    FLUX_2_FLEX("flux-2-flex", Kind.FLUX2, 8),
    FLUX_2_KLEIN_4B("flux-2-klein-4b", Kind.FLUX2, 4),
    FLUX_2_KLEIN_9B("flux-2-klein-9b", Kind.FLUX2, 4),
    FLUX_KONTEXT_MAX("flux-kontext-max", Kind.KONTEXT, 4),
    FLUX_KONTEXT_PRO("flux-kontext-pro", Kind.KONTEXT, 4),
    FLUX_PRO_11_ULTRA("flux-pro-1.1-ultra", Kind.ULTRA, 0),
    FLUX_PRO_11("flux-pro-1.1", Kind.FLUX1, 0),
    FLUX_PRO("flux-pro", Kind.FLUX1, 0),
    FLUX_DEV("flux-dev", Kind.FLUX1, 0),
    FLUX_PRO_FILL("flux-pro-1.0-fill", Kind.FILL, 0),
    FLUX_PRO_EXPAND("flux-pro-1.0-expand", Kind.EXPAND, 0),
    FLUX_PRO_CANNY("flux-pro-1.0-canny", Kind.CONTROL, 0),
    FLUX_PRO_DEPTH("flux-pro-1.0-depth", Kind.CONTROL, 0);

    /** What a model's body is checked for. */
    enum Kind { FLUX2, KONTEXT, ULTRA, FLUX1, FILL, EXPAND, CONTROL }

    final String id;
    final Kind kind;
    /** How many {@code input_image*} fields it takes; 0: none. */
    final int maxImages;

    FluxModel(String id, Kind kind, int maxImages) {
        this.id = id;
        this.kind = kind;
        this.maxImages = maxImages;
    }

    static Optional<FluxModel> of(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    /** Every model's id, for messages. */
    static String ids() {
        return Arrays.stream(values()).map(m -> m.id).collect(Collectors.joining(", "));
    }

    /** The price key of its images: {@code flux/<model>}. */
    String priceKey() {
        return "flux/" + id;
    }
}
