package dev.antler.runway;

import dev.antler.json.Json;
import dev.antler.relay.Headers;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a reverse-format create body as DeerAPI documents it, before anything is held or sent: the first bad field
 * is a 400 naming it and what it may be. Fields not checked here ({@code style}, {@code motion_vector}) pass through.
 */
final class CompatInput {

    static final List<String> RATIOS = List.of("16:9", "9:16", "1:1", "4:3", "3:4", "21:9");
    static final List<Integer> SECONDS = List.of(5, 10);

    private CompatInput() {}

    static CompatRequest read(CompatAction action, ObjectNode client, Headers headers) {
        ObjectNode body = client.deepCopy();
        String callback = callback(body);
        body.remove("callback_url");
        String version = headers.get(RunwayInput.VERSION_HEADER) == null ? null : RunwayInput.version(headers);
        String model = action == CompatAction.ACT_ONE ? "act_one" : model(body, action);
        int seconds = action.inputHold;
        switch (action) {
            case GENERATE -> {
                boolean image = body.has("image");
                if (image) {
                    url(body, "image", true);
                }
                if (body.has("last_image")) {
                    if (!image) {
                        throw BadField.of("last_image", body.get("last_image"), "a last frame with an image as the "
                                + "first (image is missing)");
                    }
                    url(body, "last_image", true);
                }
                prompt(body, !image);
                if (body.has("ratio")) {
                    RunwayInput.oneOf(body, "ratio", RATIOS, false);
                }
                if (body.has("style") && !body.path("style").isString()) {
                    throw BadField.of("style", body.get("style"), "a string, e.g. cinematic");
                }
                seconds = seconds(body);
            }
            case VIDEO2VIDEO -> {
                url(body, "video", true);
                prompt(body, false);
                JsonNode strength = body.path("options").path("structure_transformation");
                if (!strength.isMissingNode() && (!strength.isNumber() || strength.asDouble() < 0
                        || strength.asDouble() > 1)) {
                    throw BadField.of("options.structure_transformation", strength, "a number from 0 to 1");
                }
            }
            case ACT_ONE -> {
                url(body, "video", true);
                url(body, "image", true);
            }
        }
        return new CompatRequest(action, model, seconds, body, callback, version, Json.object());
    }

    private static String model(ObjectNode body, CompatAction action) {
        JsonNode value = body.path("model");
        if (value.isMissingNode()) {
            body.put("model", action.models.get(0));
            return action.models.get(0);
        }
        if (!value.isString() || !action.models.contains(value.asString())) {
            throw BadField.of("model", value, "one of " + String.join(", ", action.models));
        }
        return value.asString();
    }

    /** {@code options.seconds}: 5 or 10 (default 5, as DeerAPI's examples). */
    private static int seconds(ObjectNode body) {
        JsonNode options = body.path("options");
        if (!options.isMissingNode() && !options.isObject()) {
            throw BadField.of("options", options, "an object such as {\"seconds\": 5}");
        }
        JsonNode value = options.path("seconds");
        if (value.isMissingNode()) {
            return SECONDS.get(0);
        }
        if (!value.isIntegralNumber() || !SECONDS.contains(value.asInt())) {
            throw BadField.of("options.seconds", value, "one of 5, 10");
        }
        return value.asInt();
    }

    private static void prompt(ObjectNode body, boolean required) {
        JsonNode value = body.path("prompt");
        if (value.isMissingNode() && !required) {
            return;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw BadField.of("prompt", value, "a non-empty string" + (required ? " (required without an image)" : ""));
        }
    }

    /** An http(s) URL (or a data URI for an image) of an input. */
    private static void url(ObjectNode body, String field, boolean required) {
        JsonNode value = body.path(field);
        String text = value.isString() ? value.asString().strip() : "";
        boolean ok = text.matches("(?i)https?://\\S+") || (field.contains("image") && text.startsWith("data:image/"));
        if (!ok && (required || !value.isMissingNode())) {
            throw BadField.of(field, value, "an http(s) URL" + (field.contains("image") ? " or a data:image/ URI" : "")
                    + (required ? " (required)" : ""));
        }
    }

    private static String callback(ObjectNode body) {
        JsonNode value = body.path("callback_url");
        if (value.isMissingNode() || value.isNull() || (value.isString() && value.asString().isBlank())) {
            return null;
        }
        if (!value.isString() || !value.asString().strip().matches("(?i)https?://\\S+")) {
            throw BadField.of("callback_url", value, "an http(s) URL");
        }
        return value.asString().strip();
    }
}
