package dev.antler.recraft;

import static java.util.Objects.requireNonNull;

import dev.antler.core.GatewayException;
import dev.antler.images.ImageAsk;
import dev.antler.images.ImageDialect;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Recraft's models on OpenAI's images route (as DeerAPI offers them): the OpenAI body becomes a Recraft
 * generation ({@code prompt}, {@code model}, {@code n}; {@code size} kept when it is one of the model's sizes, else
 * the aspect ratio nearest it) run by the family's own generate operation, so it is checked, priced and billed as
 * a native call. OpenAI's {@code quality} and {@code style} (vivid, natural) have no Recraft equivalent and are
 * not sent.
 */
final class RecraftImageDialect implements ImageDialect {

    /** How far (relative) a size's ratio may be from the aspect ratio it is given. */
    private static final double RATIO_TOLERANCE = 0.05;

    private final JsonOperation generate;

    RecraftImageDialect(JsonOperation generate) {
        this.generate = requireNonNull(generate, "generate");
    }

    @Override
    public boolean claims(String model) {
        return RecraftModels.ALL.contains(model);
    }

    @Override
    public Own<?> own(ImageAsk ask, ClientRequest client) {
        ObjectNode request = Json.object();
        request.put("prompt", ask.prompt());
        request.put("model", ask.model());
        request.put("n", ask.n());
        if (ask.size() != null) {
            request.put("size", RecraftModels.sizes(ask.model()).contains(ask.size()) ? ask.size() : aspect(ask));
        }
        return new Own<>(generate, client.postedAs(RecraftEndpoint.GENERATE.path(), Json.bytes(request)));
    }

    /** The aspect ratio nearest {@code size} within {@link #RATIO_TOLERANCE} (1792x1024 is 16:9); a 400 otherwise. */
    private static String aspect(ImageAsk ask) {
        int[] wh = ask.dimensions();
        double asked = (double) wh[0] / wh[1];
        String nearest = null;
        double off = Double.MAX_VALUE;
        for (String ratio : RecraftModels.ASPECTS) {
            String[] parts = ratio.split(":");
            double distance = Math.abs(asked / (Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])) - 1);
            if (distance < off) {
                off = distance;
                nearest = ratio;
            }
        }
        if (off > RATIO_TOLERANCE) {
            throw GatewayException.badRequest("invalid_size", "size: " + ask.size() + " (expected: one of "
                    + ask.model() + "'s sizes, e.g. 1024x1024, or a size near one of Recraft's aspect ratios: "
                    + String.join(", ", RecraftModels.ASPECTS.stream().sorted().toList()) + ")");
        }
        return nearest;
    }

    /** Recraft's {@code data[]}: each image's {@code url} or {@code b64_json}, and its {@code revised_prompt}. */
    @Override
    public List<Image> images(byte[] body) {
        JsonNode root = Json.objectOrNull(body);
        List<Image> images = new ArrayList<>();
        if (root != null) {
            for (JsonNode item : root.path("data")) {
                images.add(new Image(item.path("url").asString(null), item.path("b64_json").asString(null),
                        item.path("revised_prompt").asString(null)));
            }
        }
        return images;
    }
}
