package dev.antler.luma;

import static dev.antler.luma.LumaFields.bad;
import static dev.antler.luma.LumaFields.bool;
import static dev.antler.luma.LumaFields.oneOf;
import static dev.antler.luma.LumaFields.text;
import static dev.antler.luma.LumaFields.url;

import dev.antler.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a submit's body before anything is held or sent — a bad field is a 400 naming it and what it may be — and
 * puts it in Luma's official shape: the official body as it is (fields the gateway does not check pass through),
 * the reverse relays' body translated field by field ({@link #reverse}).
 */
final class LumaInput {

    /** The model of a body that names none: DeerAPI's examples send none. */
    static final LumaModel DEFAULT_MODEL = LumaModel.RAY_2;
    private static final List<String> FRAMES = List.of("frame0", "frame1");

    private LumaInput() {}

    /** {@code POST /dream-machine/v1/generations}: Luma's own body. */
    static LumaRequest official(ObjectNode client) {
        ObjectNode body = client.deepCopy();
        String hook = url(body, "callback_url", "callback_url", "an http(s) URL the gateway posts the generation to");
        body.remove("callback_url");
        String type = oneOf(body, "generation_type", List.of("video"), "video");
        String modelName = oneOf(body, "model", List.of(LumaModel.RAY_2.id, LumaModel.RAY_FLASH_2.id,
                LumaModel.RAY_1_6.id), DEFAULT_MODEL.id);
        LumaModel model = LumaModel.of(modelName).orElseThrow();
        String prompt = text(body, "prompt", true);
        oneOf(body, "aspect_ratio", LumaModel.ASPECT_RATIOS, null);
        bool(body, "loop");
        String duration = ofModel(body, "duration", model.durations, model.id);
        String resolution = ofModel(body, "resolution", model.resolutions, model.id);
        List<String> parents = keyframes(body);
        concepts(body);
        body.put("model", model.id);
        length(body, model, duration, resolution);
        ObjectNode echo = body.deepCopy();
        echo.put("generation_type", type);
        if (hook != null) {
            echo.put("callback_url", hook);
        }
        return new LumaRequest(LumaFormat.OFFICIAL, model, duration, resolution, prompt, body, echo, hook, parents,
                null, null);
    }

    /**
     * {@code POST /luma/generations} (and {@code /{id}/extend}, {@code parent} its id): the reverse relays' body as
     * Luma's — {@code user_prompt} the prompt, {@code model_name} the model, {@code image_url} and
     * {@code image_end_url} the first and last frame, an extend's first frame the generation extended,
     * {@code duration} {@code 5}/{@code 9} with or without the {@code s}. {@code expand_prompt} has no field on
     * Luma's API and is not sent; other fields are not translated.
     */
    static LumaRequest reverse(ObjectNode body, String parent) {
        String prompt = text(body, "user_prompt", true);
        String hook = url(body, "notify_hook", "notify_hook", "an http(s) URL the gateway posts the generation to");
        String name = text(body, "model_name", false);
        LumaModel model = name == null ? DEFAULT_MODEL : LumaModel.byAnyName(name).orElseThrow(() -> bad("model_name",
                body.path("model_name"), "one of " + LumaModel.anyNames()
                        + (name.equals("ray-v3") ? "; ray-v3 has no counterpart on Luma's API" : "")));
        bool(body, "expand_prompt");
        ObjectNode upstream = Json.object();
        upstream.put("prompt", prompt);
        upstream.put("model", model.id);
        String ratio = oneOf(body, "aspect_ratio", LumaModel.ASPECT_RATIOS, null);
        if (ratio != null) {
            upstream.put("aspect_ratio", ratio);
        }
        Boolean loop = bool(body, "loop");
        if (loop != null) {
            upstream.put("loop", loop);
        }
        String first = url(body, "image_url");
        String last = url(body, "image_end_url");
        if (parent != null && first != null) {
            throw bad("image_url", first, "none on an extend: its first frame is the generation extended");
        }
        ObjectNode frames = Json.object();
        if (parent != null) {
            frames.putObject("frame0").put("type", "generation").put("id", parent);
        } else if (first != null) {
            frames.putObject("frame0").put("type", "image").put("url", first);
        }
        if (last != null) {
            frames.putObject("frame1").put("type", "image").put("url", last);
        }
        if (!frames.isEmpty()) {
            upstream.set("keyframes", frames);
        }
        String shown = name == null ? model.reverseName : name;
        String duration = reverseDuration(body, model, shown);
        String resolution = ofModel(body, "resolution", model.resolutions, shown);
        length(upstream, model, duration, resolution);
        return new LumaRequest(LumaFormat.REVERSE, model, duration, resolution, prompt, upstream, upstream.deepCopy(),
                hook, parent == null ? List.of() : List.of("frame0"), null, null);
    }

    /** {@code duration}: 5 or 9 seconds, as {@code "5"}, {@code "5s"} or a number; the model's first when absent. */
    private static String reverseDuration(ObjectNode body, LumaModel model, String shown) {
        JsonNode value = body.path("duration");
        if (value.isMissingNode() || value.isNull()) {
            return model.durations.get(0);
        }
        String text = value.isNumber() || value.isString() ? value.asString().strip() : "";
        String seconds = text.endsWith("s") ? text : text + "s";
        if (!model.durations.contains(seconds)) {
            throw bad("duration", value, "one of " + String.join(", ", model.durations.stream()
                    .map(d -> "\"" + d.substring(0, d.length() - 1) + "\"").toList()) + " for " + shown);
        }
        return seconds;
    }

    /** A value {@code model} takes, its first when absent; the refusal names the model. */
    private static String ofModel(ObjectNode body, String field, List<String> allowed, String model) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return allowed.get(0);
        }
        if (!value.isString() || !allowed.contains(value.asString())) {
            throw bad(field, value, "one of " + String.join(", ", allowed) + " for " + model);
        }
        return value.asString();
    }

    /** Sets the duration and resolution sent; ray-1-6 takes neither, so both are left out for it. */
    private static void length(ObjectNode upstream, LumaModel model, String duration, String resolution) {
        if (model.sendsLength()) {
            upstream.put("duration", duration);
            upstream.put("resolution", resolution);
        } else {
            upstream.remove("duration");
            upstream.remove("resolution");
        }
    }

    /** {@code keyframes}: frame0 and frame1, each an image URL or an earlier generation; the frames naming one. */
    private static List<String> keyframes(ObjectNode body) {
        JsonNode keyframes = body.path("keyframes");
        if (keyframes.isMissingNode() || keyframes.isNull()) {
            return List.of();
        }
        if (!keyframes.isObject() || keyframes.isEmpty()) {
            throw bad("keyframes", keyframes, "an object with frame0 and/or frame1");
        }
        List<String> parents = new ArrayList<>();
        for (Map.Entry<String, JsonNode> frame : keyframes.properties()) {
            String field = "keyframes." + frame.getKey();
            if (!FRAMES.contains(frame.getKey()) || !frame.getValue().isObject()) {
                throw bad(field, frame.getValue(), "frame0 or frame1: {\"type\": \"image\", \"url\": ...} or "
                        + "{\"type\": \"generation\", \"id\": ...}");
            }
            ObjectNode value = (ObjectNode) frame.getValue();
            String type = value.path("type").isString() ? value.path("type").asString() : "";
            if (type.equals("image")) {
                if (url(value, "url", field + ".url", "an http(s) URL of an image; Luma's API takes no base64")
                        == null) {
                    throw bad(field + ".url", value.path("url"), "an http(s) URL of an image (required)");
                }
            } else if (type.equals("generation")) {
                if (!value.path("id").isString() || value.path("id").asString().isBlank()) {
                    throw bad(field + ".id", value.path("id"), "the id of one of your generations (required)");
                }
                parents.add(frame.getKey());
            } else {
                throw bad(field + ".type", value.path("type"), "one of image, generation");
            }
        }
        return parents;
    }

    /** {@code concepts}: a list of {@code {"key": ...}}. */
    private static void concepts(ObjectNode body) {
        JsonNode concepts = body.path("concepts");
        if (concepts.isMissingNode() || concepts.isNull()) {
            return;
        }
        if (!concepts.isArray()) {
            throw bad("concepts", concepts, "a list of {\"key\": ...} objects");
        }
        for (JsonNode concept : concepts) {
            if (!concept.isObject() || !concept.path("key").isString() || concept.path("key").asString().isBlank()) {
                throw bad("concepts", concept, "a list of {\"key\": ...} objects");
            }
        }
    }
}
