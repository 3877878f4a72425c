package dev.antler.runway;

import dev.antler.json.Json;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A reverse-format generate on Runway's own API (a {@code runway} channel): an {@code image} makes it an
 * image_to_video ({@code promptImage}), else a text_to_video; {@code prompt} becomes {@code promptText},
 * {@code options.seconds} the {@code duration}, the ratio Runway's resolution of that shape. Only what Runway's rules
 * for the model take is translated: {@code style} and {@code motion_vector} have no official field and are not sent;
 * a model, shape, last frame or prompt the model does not take leaves the request to reverse-format channels.
 */
final class CompatTranslation {

    /** The reverse format's ratios as Runway's resolutions (the Gen-4 sizes; Veo takes the first two). */
    static final Map<String, String> RESOLUTIONS = Map.of("16:9", "1280:720", "9:16", "720:1280", "1:1", "960:960",
            "4:3", "1104:832", "3:4", "832:1104", "21:9", "1584:672");

    /** The official create for a channel calling the model {@code upstreamModel}. */
    record Official(RunwayEndpoint endpoint, ObjectNode body) {}

    private CompatTranslation() {}

    /** {@code request} as an official create of {@code upstreamModel}, or null when it cannot be one. */
    static Official of(CompatRequest request, String upstreamModel) {
        if (request.action() != CompatAction.GENERATE) {
            return null;
        }
        JsonNode client = request.body();
        RunwayEndpoint endpoint = client.has("image") ? RunwayEndpoint.IMAGE_TO_VIDEO : RunwayEndpoint.TEXT_TO_VIDEO;
        RunwayModels.Rule rule = RunwayModels.rule(endpoint, upstreamModel).orElse(null);
        String ratio = RESOLUTIONS.get(client.path("ratio").asString("16:9"));
        String prompt = client.path("prompt").asString("");
        if (rule == null || !rule.ratios().contains(ratio) || !rule.durations().contains(request.seconds())
                || prompt.length() > RunwayModels.MAX_PROMPT || (rule.promptNeeded() && prompt.isBlank())
                || (client.has("last_image") && !rule.positions().contains("last"))
                || !runwayFetches(client.path("image")) || !runwayFetches(client.path("last_image"))) {
            return null;
        }
        ObjectNode body = Json.object();
        body.put("model", upstreamModel);
        if (endpoint == RunwayEndpoint.IMAGE_TO_VIDEO) {
            if (client.has("last_image")) {
                var frames = body.putArray("promptImage");
                frames.addObject().put("uri", client.path("image").asString()).put("position", "first");
                frames.addObject().put("uri", client.path("last_image").asString()).put("position", "last");
            } else {
                body.put("promptImage", client.path("image").asString());
            }
        }
        if (!prompt.isBlank()) {
            body.put("promptText", prompt);
        }
        body.put("ratio", ratio);
        body.put("duration", request.seconds());
        return new Official(endpoint, body);
    }

    /** Whether Runway takes the image as given (absent, HTTPS or a data URI; never plain http). */
    private static boolean runwayFetches(JsonNode image) {
        String uri = image.asString("");
        return image.isMissingNode() || uri.regionMatches(true, 0, "https://", 0, 8) || uri.startsWith("data:image/");
    }
}
