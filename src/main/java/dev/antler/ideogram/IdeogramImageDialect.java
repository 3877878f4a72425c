package dev.antler.ideogram;

import static java.util.Objects.requireNonNull;

import dev.antler.core.GatewayException;
import dev.antler.images.ImageAsk;
import dev.antler.images.ImageDialect;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ideogram's models on OpenAI's images route: the OpenAI body becomes an Ideogram {@code /generate} request
 * ({@code prompt}; {@code n} → {@code num_images}; {@code size} → {@code resolution} when Ideogram has it, else the
 * {@code aspect_ratio} nearest it; {@code style: vivid|natural} → {@code style_type} {@code DESIGN|REALISTIC})
 * run by the family's own generate operation, so it is checked, priced and billed as a native call.
 *
 * <p>Models: Ideogram's own names ({@code V_3}, {@code V_2A_TURBO}, …) and the OpenAI-style ones DeerAPI lists
 * ({@code ideogram-v3}, {@code ideogram-v2a-turbo}, …).
 */
final class IdeogramImageDialect implements ImageDialect {

    private static final Map<String, String> NAMES = Map.of("ideogram-v3", "V_3", "ideogram-v2", "V_2",
            "ideogram-v2-turbo", "V_2_TURBO", "ideogram-v2a", "V_2A", "ideogram-v2a-turbo", "V_2A_TURBO",
            "ideogram-v1", "V_1", "ideogram-v1-turbo", "V_1_TURBO");

    /** How far (relative) a size's ratio may be from the Ideogram aspect ratio it is given. */
    private static final double RATIO_TOLERANCE = 0.05;

    private final GenerateOperation generate;

    IdeogramImageDialect(GenerateOperation generate) {
        this.generate = requireNonNull(generate, "generate");
    }

    @Override
    public boolean claims(String model) {
        return NAMES.containsKey(model) || IdeogramEnums.LEGACY_MODELS.contains(model) && !model.equals("AUTO");
    }

    @Override
    public Own<?> own(ImageAsk ask, ClientRequest client) {
        ObjectNode request = Json.object();
        request.put("prompt", ask.prompt());
        request.put("model", NAMES.getOrDefault(ask.model(), ask.model()));
        request.put("num_images", ask.n());
        if (ask.size() != null) {
            String resolution = "RESOLUTION_" + ask.size().replace('x', '_');
            if (IdeogramEnums.LEGACY_RESOLUTIONS.contains(resolution)) {
                request.put("resolution", resolution);
            } else {
                request.put("aspect_ratio", aspectRatio(ask));
            }
        }
        if (ask.style() != null) {
            request.put("style_type", switch (ask.style()) {
                case "vivid" -> "DESIGN";
                case "natural" -> "REALISTIC";
                default -> throw GatewayException.badRequest("invalid_style", "style: " + ask.style()
                        + " (expected: vivid or natural)");
            });
        }
        ObjectNode root = Json.object();
        root.set("image_request", request);
        return new Own<>(generate, client.postedAs(IdeogramEndpoint.GENERATE.nativePath(), Json.bytes(root)));
    }

    /**
     * The Ideogram aspect ratio nearest {@code size} (OpenAI's 1792x1024 is 7:4: Ideogram's 16:9), within
     * {@link #RATIO_TOLERANCE}; a 400 naming the sizes Ideogram takes when none is that near.
     */
    private static String aspectRatio(ImageAsk ask) {
        int[] wh = ask.dimensions();
        double asked = (double) wh[0] / wh[1];
        String nearest = null;
        double off = Double.MAX_VALUE;
        for (String ratio : IdeogramEnums.LEGACY_ASPECT_RATIOS) {
            String[] parts = ratio.substring("ASPECT_".length()).split("_");
            double distance = Math.abs(asked / (Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])) - 1);
            if (distance < off) {
                off = distance;
                nearest = ratio;
            }
        }
        if (off > RATIO_TOLERANCE) {
            throw GatewayException.badRequest("invalid_size", "size: " + ask.size() + " (expected: one of Ideogram's "
                    + "resolutions, e.g. 1024x1024, 1280x720, or a size near one of its aspect ratios: "
                    + String.join(", ", IdeogramEnums.LEGACY_ASPECT_RATIOS).replace("ASPECT_", "")
                    .replace('_', ':') + ")");
        }
        return nearest;
    }

    /** Ideogram's {@code data[]}: each image's {@code url} and the {@code prompt} it was made from. */
    @Override
    public List<Image> images(byte[] body) {
        JsonNode root = Json.objectOrNull(body);
        List<Image> images = new ArrayList<>();
        if (root != null) {
            for (JsonNode item : root.path("data")) {
                images.add(new Image(item.path("url").asString(null), null, item.path("prompt").asString(null)));
            }
        }
        return images;
    }
}
