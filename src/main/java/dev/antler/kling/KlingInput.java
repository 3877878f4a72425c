package dev.antler.kling;

import dev.antler.core.GatewayException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a submit's body as Kling documents it, before anything is held or sent: a bad field is a 400 naming it
 * and what it may be. Fields the gateway does not check (and unknown ones) pass through as they are; the client's
 * {@code callback_url} stays with the gateway, which calls it.
 */
final class KlingInput {

    static final int MAX_PROMPT = 2500;
    static final List<String> MODES = List.of("std", "pro");
    static final List<String> DURATIONS = List.of("5", "10");
    static final List<String> VIDEO_RATIOS = List.of("16:9", "9:16", "1:1");
    static final List<String> IMAGE_RATIOS = List.of("16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9");
    static final int MAX_IMAGES = 9;
    static final int MAX_IMAGE_LIST = 4;

    private KlingInput() {}

    static KlingRequest read(KlingAction action, ObjectNode client) {
        ObjectNode body = client.deepCopy();
        String callback = optionalText(body, "callback_url");
        body.remove("callback_url");
        String externalId = optionalText(body, "external_task_id");
        String model = action.defaultModel();
        if (!action.models.isEmpty()) {
            model = oneOf(body, "model_name", action.models);
            body.put("model_name", model);
        }
        text(body, "prompt", needsPrompt(action));
        text(body, "negative_prompt", false);
        if (body.has("cfg_scale")) {
            JsonNode cfg = body.get("cfg_scale");
            if (!cfg.isNumber() || cfg.asDouble() < 0 || cfg.asDouble() > 1) {
                throw bad("cfg_scale", cfg, "a number from 0 to 1");
            }
        }
        String mode = null;
        int seconds = 0;
        int images = 0;
        switch (action) {
            case TEXT2VIDEO, IMAGE2VIDEO, MULTI_IMAGE2VIDEO -> {
                mode = oneOf(body, "mode", MODES);
                body.put("mode", mode);
                String duration = duration(body);
                body.put("duration", duration);
                seconds = Integer.parseInt(duration);
                if (action != KlingAction.IMAGE2VIDEO) {
                    body.put("aspect_ratio", oneOf(body, "aspect_ratio", VIDEO_RATIOS));
                }
                if (action == KlingAction.IMAGE2VIDEO && text(body, "image", false) == null
                        && text(body, "image_tail", false) == null) {
                    throw bad("image", body.path("image"), "an image URL or raw base64; or image_tail");
                }
                if (action == KlingAction.MULTI_IMAGE2VIDEO) {
                    JsonNode list = body.path("image_list");
                    if (!list.isArray() || list.isEmpty() || list.size() > MAX_IMAGE_LIST) {
                        throw bad("image_list", list, "1 to " + MAX_IMAGE_LIST + " {\"image\": ...} objects");
                    }
                }
            }
            case VIDEO_EXTEND -> text(body, "video_id", true);
            case LIP_SYNC -> {
                JsonNode input = body.path("input");
                if (!input.isObject() || (input.path("video_id").asString("").isBlank()
                        && input.path("video_url").asString("").isBlank())) {
                    throw bad("input", input, "an object with video_id or video_url");
                }
                if (input.has("mode") && !List.of("text2video", "audio2video").contains(input.path("mode").asString(""))) {
                    throw bad("input.mode", input.path("mode"), "one of text2video, audio2video");
                }
            }
            case GENERATIONS -> {
                JsonNode n = body.path("n");
                images = n.isMissingNode() || n.isNull() ? 1 : n.isIntegralNumber() ? n.asInt() : -1;
                if (images < 1 || images > MAX_IMAGES) {
                    throw bad("n", n, "an integer from 1 to " + MAX_IMAGES);
                }
                if (body.has("aspect_ratio")) {
                    oneOf(body, "aspect_ratio", IMAGE_RATIOS);
                }
            }
            case KOLORS_VIRTUAL_TRY_ON -> {
                text(body, "human_image", true);
                text(body, "cloth_image", true);
            }
        }
        return new KlingRequest(action, model, mode, seconds, images, body, callback, externalId, null, null, null,
                null);
    }

    private static boolean needsPrompt(KlingAction action) {
        return action == KlingAction.TEXT2VIDEO || action == KlingAction.MULTI_IMAGE2VIDEO
                || action == KlingAction.GENERATIONS;
    }

    /** {@code duration}: "5" or "10" (a number is taken too and sent as Kling's string); default "5". */
    private static String duration(ObjectNode body) {
        JsonNode value = body.path("duration");
        if (value.isMissingNode() || value.isNull()) {
            return DURATIONS.get(0);
        }
        String text = value.isString() ? value.asString() : value.isIntegralNumber() ? value.asString() : "";
        if (!DURATIONS.contains(text)) {
            throw bad("duration", value, "one of \"5\", \"10\"");
        }
        return text;
    }

    /** A string field from {@code allowed}, the first when absent. */
    private static String oneOf(ObjectNode body, String field, List<String> allowed) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return allowed.get(0);
        }
        if (!value.isString() || !allowed.contains(value.asString())) {
            throw bad(field, value, "one of " + String.join(", ", allowed));
        }
        return value.asString();
    }

    /** A text field of at most {@link #MAX_PROMPT} characters; null when absent and not {@code required}. */
    private static String text(ObjectNode body, String field, boolean required) {
        JsonNode value = body.path(field);
        if ((value.isMissingNode() || value.isNull()) && !required) {
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw bad(field, value, required ? "a non-empty string (required)" : "a non-empty string");
        }
        int length = value.asString().codePointCount(0, value.asString().length());
        if (field.endsWith("prompt") && length > MAX_PROMPT) {
            throw bad(field, length + " characters", "at most " + MAX_PROMPT + " characters");
        }
        return value.asString();
    }

    private static String optionalText(ObjectNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw bad(field, value, "a string");
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
