package dev.antler.pika;

import dev.antler.core.GatewayException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a {@code POST /pika/generate} body before anything is held or sent — a bad field is a 400 naming it and
 * what it may be — with the ranges Pika documents for its options (aspect ratio 0.4–2.5, frame rate 8–24,
 * guidance scale 5–25, motion 0–4). An empty {@code image} or {@code video} is as good as none and is not sent; a
 * Pikaffect needs an image, an extend a video. {@code notify_hook} (or {@code callback_url}) is the gateway's:
 * the URL it posts the task to, never sent upstream. Fields the gateway does not check pass through.
 */
final class PikaInput {

    static final List<String> MODELS = List.of("1.5", "1.0", "2.0", "2.1", "2.2");
    static final String GATEWAY_PREFIX = "pika-";
    static final int MAX_PROMPT = 2000;

    private PikaInput() {}

    static PikaRequest read(ObjectNode client) {
        ObjectNode body = client.deepCopy();
        String hook = hook(body, "notify_hook");
        String callback = hook(body, "callback_url");
        body.remove("notify_hook");
        body.remove("callback_url");
        JsonNode prompt = body.path("promptText");
        if (!prompt.isString() || prompt.asString().isBlank()) {
            throw bad("promptText", prompt, "a non-empty string (required)");
        }
        if (prompt.asString().length() > MAX_PROMPT) {
            throw bad("promptText", prompt.asString().length() + " characters",
                    "at most " + MAX_PROMPT + " characters");
        }
        String model = model(body);
        body.put("model", model);
        boolean image = media(body, "image");
        boolean video = media(body, "video");
        JsonNode effect = body.path("pikaffect");
        if (!effect.isMissingNode() && !effect.isNull() && (!effect.isString() || effect.asString().length() > 40)) {
            throw bad("pikaffect", effect, "a Pikaffect's name, e.g. Melt, Explode, Squish, or \"\"");
        }
        if (effect.isString() && !effect.asString().isBlank() && !image) {
            throw bad("image", body.path("image"), "an image (URL or base64) for the Pikaffect "
                    + effect.asString());
        }
        options(body, video);
        return new PikaRequest(model, prompt.asString(), body, hook != null ? hook : callback, null);
    }

    private static String model(ObjectNode body) {
        JsonNode value = body.path("model");
        if (value.isMissingNode() || value.isNull()) {
            return MODELS.get(0);
        }
        String text = value.isNumber() ? value.asString() : value.isString() ? value.asString() : "";
        if (text.matches("\\d")) {
            text = text + ".0";
        }
        if (!MODELS.contains(text)) {
            throw bad("model", value, "one of " + String.join(", ", MODELS));
        }
        return text;
    }

    /** Whether {@code field} (an image or video, URL or base64) is given; an empty one is dropped. */
    private static boolean media(ObjectNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull() || (value.isString() && value.asString().isEmpty())) {
            body.remove(field);
            return false;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw bad(field, value, "a URL or base64 string");
        }
        return true;
    }

    private static void options(ObjectNode body, boolean video) {
        JsonNode options = body.path("options");
        if (options.isMissingNode() || options.isNull()) {
            return;
        }
        if (!options.isObject()) {
            throw bad("options", options, "an object: {aspectRatio, frameRate, camera, parameters, extend}");
        }
        range(options, "options.aspectRatio", "aspectRatio", 0.4, 2.5, false);
        range(options, "options.frameRate", "frameRate", 8, 24, true);
        JsonNode camera = options.path("camera");
        if (!camera.isMissingNode() && !camera.isNull() && !camera.isObject()) {
            throw bad("options.camera", camera, "an object, e.g. {\"zoom\": \"in\"}");
        }
        JsonNode parameters = options.path("parameters");
        if (!parameters.isMissingNode() && !parameters.isNull()) {
            if (!parameters.isObject()) {
                throw bad("options.parameters", parameters, "an object: {guidanceScale, motion, negativePrompt}");
            }
            range(parameters, "options.parameters.guidanceScale", "guidanceScale", 5, 25, false);
            range(parameters, "options.parameters.motion", "motion", 0, 4, true);
            JsonNode negative = parameters.path("negativePrompt");
            if (!negative.isMissingNode() && !negative.isNull() && !negative.isString()) {
                throw bad("options.parameters.negativePrompt", negative, "a string");
            }
        }
        JsonNode extend = options.path("extend");
        if (!extend.isMissingNode() && !extend.isNull() && !extend.isBoolean()) {
            throw bad("options.extend", extend, "true or false");
        }
        if (extend.asBoolean(false) && !video) {
            throw bad("video", body.path("video"), "the video to extend (URL) when options.extend is true");
        }
    }

    private static void range(JsonNode node, String shown, String field, double min, double max, boolean integer) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        boolean fits = integer ? value.isIntegralNumber() : value.isNumber();
        if (!fits || value.asDouble() < min || value.asDouble() > max) {
            throw bad(shown, value, (integer ? "an integer" : "a number") + " from " + number(min) + " to "
                    + number(max));
        }
    }

    private static String number(double n) {
        return n == Math.rint(n) ? String.valueOf((long) n) : String.valueOf(n);
    }

    private static String hook(ObjectNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull() || (value.isString() && value.asString().isEmpty())) {
            return null;
        }
        if (!value.isString() || !value.asString().matches("(?i)https?://\\S+")) {
            throw bad(field, value, "an http(s) URL the gateway posts the task to");
        }
        return value.asString();
    }

    static GatewayException bad(String field, Object value, String expected) {
        String shown = value instanceof JsonNode node ? (node.isMissingNode() ? "(missing)" : node.toString())
                : String.valueOf(value);
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "...";
        }
        return GatewayException.badRequest("invalid_request", field + ": " + shown + " (expected: " + expected + ")");
    }
}
