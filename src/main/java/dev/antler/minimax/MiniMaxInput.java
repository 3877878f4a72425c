package dev.antler.minimax;

import dev.antler.core.GatewayException;
import dev.antler.minimax.MiniMaxModels.Model;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a V1 submit's body as MiniMax documents it, before anything is held or sent: a bad field is a 400 naming
 * it and what it may be (in MiniMax's shape: status code 2013). The model's durations and resolutions are those of
 * {@link MiniMaxModels}; the defaults it would apply are filled in, so what is priced is what is made. Fields the
 * gateway does not check (and unknown ones) pass through as they are; the client's {@code callback_url} stays
 * with the gateway, which calls it.
 */
final class MiniMaxInput {

    static final int MAX_PROMPT = 2000;
    private static final List<String> FLAGS = List.of("prompt_optimizer", "fast_pretreatment", "aigc_watermark");

    private MiniMaxInput() {}

    static MiniMaxRequest v1(ObjectNode client) {
        ObjectNode body = client.deepCopy();
        String callback = callback(body);
        Model model = model(body, MiniMaxApi.V1);
        for (String flag : FLAGS) {
            if (body.has(flag) && !body.get(flag).isBoolean()) {
                throw bad(flag, body.get(flag), "true or false");
            }
        }
        boolean firstFrame = text(body, "first_frame_image", false) != null;
        text(body, "last_frame_image", false);
        if (model.needs() == MiniMaxModels.Needs.FIRST_FRAME && !firstFrame) {
            throw bad("first_frame_image", body.path("first_frame_image"), "an image URL or data URL (required by "
                    + model.name() + ")");
        }
        JsonNode subjects = body.path("subject_reference");
        if (model.needs() == MiniMaxModels.Needs.SUBJECT || body.has("subject_reference")) {
            if (!subjects.isArray() || subjects.isEmpty() || !subjects.get(0).path("image").isArray()) {
                throw bad("subject_reference", subjects, "[{\"type\": \"character\", \"image\": [an image URL]}]"
                        + (model.needs() == MiniMaxModels.Needs.SUBJECT ? " (required by " + model.name() + ")" : ""));
            }
        }
        String prompt = text(body, "prompt", !firstFrame && model.needs() != MiniMaxModels.Needs.SUBJECT);
        if (prompt != null && prompt.codePointCount(0, prompt.length()) > MAX_PROMPT) {
            throw bad("prompt", prompt.codePointCount(0, prompt.length()) + " characters",
                    "at most " + MAX_PROMPT + " characters");
        }
        String resolution = resolution(body, model);
        int seconds = duration(body, model, resolution);
        body.put("resolution", resolution);
        body.put("duration", seconds);
        return new MiniMaxRequest(MiniMaxApi.V1, model, seconds, resolution, seconds, body, callback, null);
    }

    /** {@code model}: required, one of {@code api}'s models. */
    static Model model(ObjectNode body, MiniMaxApi api) {
        JsonNode value = body.path("model");
        Model model = value.isString() ? MiniMaxModels.find(value.asString()).orElse(null) : null;
        if (model == null || model.api() != api) {
            throw bad("model", value, "one of " + MiniMaxModels.names(api) + (model == null ? ""
                    : "; " + model.name() + " is served on /minimax" + model.api().submitPath));
        }
        return model;
    }

    /** {@code resolution}: one of the model's ({@code 768p} taken for {@code 768P}); the model's default when absent. */
    static String resolution(ObjectNode body, Model model) {
        JsonNode value = body.path("resolution");
        if (value.isMissingNode() || value.isNull()) {
            return model.resolution();
        }
        String asked = value.isString() ? value.asString().toUpperCase(Locale.ROOT) : "";
        if (!model.durations().containsKey(asked)) {
            throw bad("resolution", value, "one of " + String.join(", ", model.resolutions()) + " for " + model.name());
        }
        return asked;
    }

    /** {@code duration}: whole seconds the model allows at {@code resolution}; the model's default when absent. */
    static int duration(ObjectNode body, Model model, String resolution) {
        JsonNode value = body.path("duration");
        List<Integer> allowed = model.durations().get(resolution);
        if (value.isMissingNode() || value.isNull()) {
            if (!allowed.contains(model.duration())) {
                throw bad("duration", value, "one of " + join(allowed) + " for " + model.name() + " at " + resolution);
            }
            return model.duration();
        }
        int asked = value.isIntegralNumber() && value.canConvertToInt() ? value.asInt()
                : value.isString() && value.asString().matches("\\d{1,3}") ? Integer.parseInt(value.asString()) : -1;
        if (!model.allDurations().contains(asked)) {
            throw bad("duration", value, "one of " + join(model.allDurations()) + " for " + model.name());
        }
        if (!allowed.contains(asked)) {
            throw bad("duration", value, "one of " + join(allowed) + " for " + model.name() + " at " + resolution);
        }
        return asked;
    }

    /** The client's {@code callback_url} (an http(s) URL), taken out of the body; null when absent. */
    static String callback(ObjectNode body) {
        JsonNode value = body.remove("callback_url");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || !value.asString().matches("(?i)https?://[^\\s]+")) {
            throw bad("callback_url", value, "an http(s) URL");
        }
        return value.asString();
    }

    /** A non-empty text field; null when absent and not {@code required}. */
    static String text(ObjectNode body, String field, boolean required) {
        JsonNode value = body.path(field);
        if ((value.isMissingNode() || value.isNull()) && !required) {
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw bad(field, value, required ? "a non-empty string (required)" : "a non-empty string");
        }
        return value.asString();
    }

    static String join(List<Integer> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
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
