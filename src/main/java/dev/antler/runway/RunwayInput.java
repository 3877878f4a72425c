package dev.antler.runway;

import dev.antler.json.Json;
import dev.antler.relay.Headers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a create body against {@link RunwayModels} before anything is held or sent: the first bad field is a 400
 * naming it and what it may be ({@link BadField}). Fields a model documents beyond those checked here pass through as
 * sent, for Runway to judge; so do fields it does not know (Runway answers those itself, uncharged).
 */
final class RunwayInput {

    static final String VERSION_HEADER = "X-Runway-Version";
    static final String DEFAULT_VERSION = "2024-11-06";
    private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final long MAX_SEED = 4_294_967_295L;

    private RunwayInput() {}

    static RunwayRequest read(RunwayEndpoint endpoint, ObjectNode client, Headers headers) {
        String version = version(headers);
        ObjectNode body = client.deepCopy();
        JsonNode modelNode = body.path("model");
        List<String> models = RunwayModels.models(endpoint);
        RunwayModels.Rule rule = modelNode.isString()
                ? RunwayModels.rule(endpoint, modelNode.asString()).orElse(null) : null;
        if (rule == null) {
            throw BadField.of("model", modelNode, "one of " + String.join(", ", models) + " on " + endpoint.path);
        }
        int seconds = duration(body, rule);
        oneOf(body, "ratio", rule.ratios(), rule.ratioNeeded());
        text(body, "promptText", rule.promptNeeded());
        switch (endpoint) {
            case IMAGE_TO_VIDEO -> promptImage(body.path("promptImage"), rule.positions());
            case VIDEO_TO_VIDEO -> asset("videoUri", body.path("videoUri"), "video");
            case TEXT_TO_VIDEO -> { }
        }
        options(body, rule);
        boolean silent = rule.options().contains("audio") && body.path("audio").isBoolean()
                && !body.path("audio").asBoolean();
        String priceKey = "runway/" + rule.model() + (silent ? "/no-audio" : "");
        return new RunwayRequest(endpoint, rule.model(), seconds, priceKey, body, version, Json.object());
    }

    /** {@code X-Runway-Version}: the client's when given (a date), else the one Runway's SDKs send. */
    static String version(Headers headers) {
        String given = headers.get(VERSION_HEADER);
        if (given == null || given.isBlank()) {
            return DEFAULT_VERSION;
        }
        if (!VERSION.matcher(given.strip()).matches()) {
            throw BadField.of(VERSION_HEADER, given, "an API version date such as " + DEFAULT_VERSION);
        }
        return given.strip();
    }

    /** The seconds held: {@code duration} as the model allows it, or the most it makes when none is given. */
    private static int duration(ObjectNode body, RunwayModels.Rule rule) {
        JsonNode value = body.path("duration");
        if (rule.durationFollowsInput()) {
            if (!value.isMissingNode()) {
                throw BadField.of("duration", value, "no duration for " + rule.model()
                        + ": the video is as long as its input");
            }
            return rule.heldWhenOmitted();
        }
        if (value.isMissingNode() && !rule.durationNeeded()) {
            return rule.heldWhenOmitted();
        }
        if (!value.isIntegralNumber() || !rule.durations().contains(value.asInt())) {
            List<Integer> d = rule.durations();
            String allowed = d.size() > 3 && d.get(d.size() - 1) - d.get(0) == d.size() - 1
                    ? "an integer from " + d.get(0) + " to " + d.get(d.size() - 1)
                    : "one of " + String.join(", ", d.stream().map(String::valueOf).toList());
            throw BadField.of("duration", value, allowed + " for " + rule.model()
                    + (rule.durationNeeded() ? " (required)" : ""));
        }
        return value.asInt();
    }

    /** A string from {@code allowed} (any string when it is empty). */
    static void oneOf(ObjectNode body, String field, List<String> allowed, boolean required) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() && !required) {
            return;
        }
        if (!value.isString() || value.asString().isBlank()
                || (!allowed.isEmpty() && !allowed.contains(value.asString()))) {
            throw BadField.of(field, value, (allowed.isEmpty() ? "a string" : "one of " + String.join(", ", allowed))
                    + (required ? " (required)" : ""));
        }
    }

    /** A non-empty text of at most {@link RunwayModels#MAX_PROMPT} UTF-16 code units, as Runway counts. */
    static void text(ObjectNode body, String field, boolean required) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() && !required) {
            return;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw BadField.of(field, value, "a non-empty string" + (required ? " (required)" : ""));
        }
        if (value.asString().length() > RunwayModels.MAX_PROMPT) {
            throw BadField.tooLong(field, value.asString().length(), RunwayModels.MAX_PROMPT);
        }
    }

    /** {@code promptImage}: one image, or {@code [{uri, position}]} with the positions the model takes. */
    private static void promptImage(JsonNode value, List<String> positions) {
        if (value.isString()) {
            asset("promptImage", value, "image");
            return;
        }
        String shape = "an HTTPS URL, a runway:// URI or a data:image/ URI, or a list of {uri, position} with "
                + "position one of " + String.join(", ", positions) + " (required)";
        if (!value.isArray() || value.isEmpty() || value.size() > positions.size()) {
            throw BadField.of("promptImage", value, shape);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isObject()) {
                throw BadField.of("promptImage[" + i + "]", item, "an object {uri, position}");
            }
            asset("promptImage[" + i + "].uri", item.path("uri"), "image");
            JsonNode position = item.path("position");
            if (!position.isString() || !positions.contains(position.asString()) || !seen.add(position.asString())) {
                throw BadField.of("promptImage[" + i + "].position", position, "one of "
                        + String.join(", ", positions) + ", each at most once");
            }
        }
        if (!seen.contains("first")) {
            throw BadField.of("promptImage", value, "a first frame (a last frame alone is not taken)");
        }
    }

    /** An asset Runway fetches: an HTTPS URL, a Runway upload URI or a data URI of {@code kind}. */
    static void asset(String field, JsonNode value, String kind) {
        String text = value.isString() ? value.asString().strip() : "";
        if (!text.regionMatches(true, 0, "https://", 0, 8) && !text.startsWith("runway://")
                && !text.regionMatches(true, 0, "data:" + kind + "/", 0, kind.length() + 6)) {
            throw BadField.of(field, value, "an HTTPS URL, a runway:// URI or a data:" + kind
                    + "/... URI (required)");
        }
    }

    /** The documented options the model takes, checked for shape. */
    private static void options(ObjectNode body, RunwayModels.Rule rule) {
        JsonNode seed = body.path("seed");
        if (!seed.isMissingNode() && (!seed.isIntegralNumber() || seed.asLong() < 0 || seed.asLong() > MAX_SEED)) {
            throw BadField.of("seed", seed, "an integer from 0 to " + MAX_SEED);
        }
        JsonNode audio = body.path("audio");
        if (!audio.isMissingNode() && !audio.isBoolean()) {
            throw BadField.of("audio", audio, "true or false");
        }
        JsonNode moderation = body.path("contentModeration");
        if (!moderation.isMissingNode()) {
            JsonNode threshold = moderation.path("publicFigureThreshold");
            if (!moderation.isObject() || (!threshold.isMissingNode()
                    && !List.of("auto", "low").contains(threshold.asString("")))) {
                throw BadField.of("contentModeration.publicFigureThreshold", threshold, "one of auto, low");
            }
        }
        if (body.has("negativePrompt")) {
            text(body, "negativePrompt", false);
        }
        if (body.has("targetAspectRatio")) {
            oneOf(body, "targetAspectRatio", RunwayModels.TARGET_ASPECT_RATIOS, false);
        }
        for (String field : List.of("seed", "audio", "contentModeration", "negativePrompt", "references", "keyframes",
                "targetAspectRatio")) {
            if (body.has(field) && !rule.options().contains(field)) {
                throw BadField.of(field, body.get(field), "no " + field + " for " + rule.model() + " (it takes "
                        + String.join(", ", rule.options().stream().sorted().toList()) + ")");
            }
        }
    }
}
