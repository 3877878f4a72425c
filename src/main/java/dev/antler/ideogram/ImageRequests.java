package dev.antler.ideogram;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and checks the legacy {@code image_request} object: the JSON body's field on /generate, a JSON
 * string in a form field on /remix and /upscale. Fields given as {@code ""} or {@code null} mean "not
 * given", as on the form endpoints, and are removed before the request is forwarded.
 */
final class ImageRequests {

    private static final String FIELD = "image_request";

    private ImageRequests() {}

    /**
     * @param request  the checked object, with "not given" fields removed
     * @param cleaned  whether fields were removed, so the original bytes cannot be forwarded as they are
     * @param model    the model asked for, or the default; null on /upscale, which has none
     * @param count    the images asked for
     */
    record Checked(ObjectNode request, boolean cleaned, String model, long count) {}

    /** Parses the JSON text of a form field. */
    static ObjectNode parse(String json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (RuntimeException e) {
            throw Checks.invalid(FIELD, "not JSON", "a JSON object such as {\"prompt\": \"...\"}");
        }
        return object(node);
    }

    static ObjectNode object(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw Checks.missing(FIELD, "a JSON object such as {\"prompt\": \"...\"}");
        }
        if (!node.isObject()) {
            throw Checks.invalid(FIELD, abbreviate(node.toString()), "a JSON object");
        }
        return (ObjectNode) node.deepCopy();
    }

    static Checked check(IdeogramEndpoint endpoint, ObjectNode request) {
        boolean cleaned = dropNotGiven(request);
        String prompt = Checks.text(name("prompt"), request.get("prompt"));
        if (endpoint != IdeogramEndpoint.UPSCALE && prompt == null) {
            throw Checks.missing(name("prompt"), "a text describing the image");
        }
        String model = null;
        if (endpoint != IdeogramEndpoint.UPSCALE) {
            model = Checks.oneOf(name("model"), Checks.text(name("model"), request.get("model")),
                    IdeogramEnums.LEGACY_MODELS);
            model = model == null ? IdeogramEnums.DEFAULT_LEGACY_MODEL : model;
            enumField(request, "style_type", IdeogramEnums.LEGACY_STYLES);
            enumField(request, "aspect_ratio", IdeogramEnums.LEGACY_ASPECT_RATIOS);
            enumField(request, "resolution", IdeogramEnums.LEGACY_RESOLUTIONS);
            if (request.has("aspect_ratio") && request.has("resolution")) {
                throw Checks.invalid(name("aspect_ratio"), Checks.quote(request.get("aspect_ratio").asString()),
                        "not together with resolution; give one of them");
            }
        }
        enumField(request, "magic_prompt_option", IdeogramEnums.MAGIC_PROMPT);
        long count = Checks.integer(name("num_images"), request.get("num_images"), 1, Checks.MAX_IMAGES, 1);
        Checks.integer(name("seed"), request.get("seed"), 0, Checks.MAX_SEED, 0);
        if (endpoint == IdeogramEndpoint.REMIX) {
            Checks.integer(name("image_weight"), request.get("image_weight"), 1, 100, 50);
        }
        if (endpoint == IdeogramEndpoint.UPSCALE) {
            Checks.integer(name("resemblance"), request.get("resemblance"), 1, 100, 50);
            Checks.integer(name("detail"), request.get("detail"), 1, 100, 50);
        }
        return new Checked(request, cleaned, model, count);
    }

    private static void enumField(ObjectNode request, String field, java.util.Set<String> allowed) {
        Checks.oneOf(name(field), Checks.text(name(field), request.get(field)), allowed);
    }

    private static boolean dropNotGiven(ObjectNode request) {
        List<String> empty = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : request.properties()) {
            JsonNode value = field.getValue();
            if (value.isNull() || (value.isString() && value.stringValue().isEmpty())) {
                empty.add(field.getKey());
            }
        }
        empty.forEach(request::remove);
        return !empty.isEmpty();
    }

    private static String name(String field) {
        return FIELD + "." + field;
    }

    private static String abbreviate(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }

    static GatewayException notAnObject() {
        return Checks.invalid("request body", "not a JSON object", "{\"image_request\": {\"prompt\": \"...\"}}");
    }
}
