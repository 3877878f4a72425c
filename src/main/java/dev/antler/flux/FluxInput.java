package dev.antler.flux;

import static dev.antler.flux.FluxErrorFormat.invalid;
import static dev.antler.flux.FluxFields.bool;
import static dev.antler.flux.FluxFields.integer;
import static dev.antler.flux.FluxFields.number;
import static dev.antler.flux.FluxFields.present;
import static dev.antler.flux.FluxFields.text;

import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a submit's body as BFL documents it for its model, before anything is held or sent: a bad field is a 422
 * naming it and what it may be. Fields the gateway does not check (and unknown ones) pass through as they are. The
 * client's {@code webhook_url} and {@code webhook_secret} stay with the gateway, which polls BFL and calls the
 * webhook itself; whether the webhook's host is public is checked off the event loop ({@link FluxSubmit#resolve}).
 */
final class FluxInput {

    static final List<String> OUTPUT_FORMATS = List.of("jpeg", "png");
    /** FLUX.2's largest output, 4 MP (2048 x 2048). */
    static final long MAX_FLUX2_PIXELS = 2048L * 2048L;
    static final int MAX_URL = 2083;
    private static final Pattern RATIO = Pattern.compile("([1-9][0-9]{0,3}):([1-9][0-9]{0,3})");
    private static final Pattern NUMBERED_IMAGE = Pattern.compile("input_image_([0-9]+)");

    private FluxInput() {}

    static FluxRequest read(FluxModel model, ObjectNode client) {
        ObjectNode body = client.deepCopy();
        String webhook = webhookUrl(body);
        String secret = text(body, "webhook_secret", false);
        if (secret != null && webhook == null) {
            throw invalid("webhook_url", body.path("webhook_url"), "a URL for the webhook_secret to sign for");
        }
        body.remove("webhook_url");
        body.remove("webhook_secret");
        common(body);
        switch (model.kind) {
            case FLUX2 -> {
                text(body, "prompt", true);
                size(body, 16, 64, Integer.MAX_VALUE, MAX_FLUX2_PIXELS, "a multiple of 16, at least 64");
                if (model == FluxModel.FLUX_2_FLEX) {
                    integer(body, "steps", 1, 50);
                    number(body, "guidance", 1.5, 10);
                }
            }
            case KONTEXT -> {
                text(body, "prompt", true);
                ratio(body);
            }
            case ULTRA -> {
                promptOrImagePrompt(body);
                ratio(body);
                bool(body, "raw");
                number(body, "image_prompt_strength", 0, 1);
            }
            case FLUX1 -> {
                promptOrImagePrompt(body);
                size(body, 32, 256, 1440, Long.MAX_VALUE, "a multiple of 32 from 256 to 1440");
            }
            case FILL -> {
                text(body, "image", true);
                text(body, "mask", false);
                text(body, "prompt", false);
            }
            case EXPAND -> {
                text(body, "image", true);
                text(body, "prompt", false);
                for (String side : List.of("top", "bottom", "left", "right")) {
                    integer(body, side, 0, 2048);
                }
            }
            case CONTROL -> {
                text(body, "prompt", true);
                if (text(body, "preprocessed_image", false) == null) {
                    text(body, "control_image", true);
                }
            }
        }
        images(body, model);
        return new FluxRequest(model, body, webhook, secret, null, null);
    }

    /** What every model takes alike: {@code seed}, {@code output_format}, {@code safety_tolerance}, {@code prompt_upsampling}. */
    private static void common(ObjectNode body) {
        integer(body, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        JsonNode format = body.path("output_format");
        if (present(format) && (!format.isString() || !OUTPUT_FORMATS.contains(format.asString()))) {
            throw invalid("output_format", format, "one of " + String.join(", ", OUTPUT_FORMATS));
        }
        integer(body, "safety_tolerance", 0, 6);
        bool(body, "prompt_upsampling");
    }

    /** The client's {@code webhook_url}: an http(s) URL; null when absent. */
    private static String webhookUrl(ObjectNode body) {
        String url = text(body, "webhook_url", false);
        if (url != null && (url.length() > MAX_URL || !url.matches("(?i)https?://[^\\s/?#]+[^\\s]*"))) {
            throw invalid("webhook_url", body.path("webhook_url"), "an http(s) URL of at most " + MAX_URL
                    + " characters");
        }
        return url;
    }

    private static void promptOrImagePrompt(ObjectNode body) {
        if (text(body, "image_prompt", false) == null) {
            text(body, "prompt", true);
        } else {
            text(body, "prompt", false);
        }
    }

    /** {@code width} and {@code height}: each a multiple of {@code step} from {@code min} to {@code max}, their product at most {@code maxPixels}. */
    private static void size(ObjectNode body, int step, int min, int max, long maxPixels, String expected) {
        long pixels = 1;
        boolean both = true;
        for (String field : List.of("width", "height")) {
            JsonNode value = body.path(field);
            if (!present(value)) {
                both = false;
                continue;
            }
            if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max || value.asLong() % step != 0) {
                throw invalid(field, value, expected);
            }
            pixels *= value.asLong();
        }
        if (both && pixels > maxPixels) {
            throw invalid("width", body.path("width").asLong() + " x " + body.path("height").asLong(),
                    "at most " + maxPixels + " pixels (4 MP)");
        }
    }

    /** {@code aspect_ratio}: {@code W:H} from 21:9 to 9:21. */
    private static void ratio(ObjectNode body) {
        JsonNode value = body.path("aspect_ratio");
        if (!present(value)) {
            return;
        }
        Matcher m = value.isString() ? RATIO.matcher(value.asString()) : null;
        if (m == null || !m.matches()) {
            throw invalid("aspect_ratio", value, "W:H, e.g. 16:9, from 21:9 to 9:21");
        }
        double ratio = Double.parseDouble(m.group(1)) / Double.parseDouble(m.group(2));
        if (ratio > 21.0 / 9 + 1e-9 || ratio < 9.0 / 21 - 1e-9) {
            throw invalid("aspect_ratio", value, "a ratio from 21:9 to 9:21");
        }
    }

    /**
     * The reference images a model takes, {@code input_image} and {@code input_image_2} up to its maximum, each a
     * URL or base64 string; a numbered one past the maximum is refused. Models taking none are not checked.
     */
    private static void images(ObjectNode body, FluxModel model) {
        if (model.maxImages == 0) {
            return;
        }
        text(body, "input_image", false);
        for (Iterator<String> names = body.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            Matcher m = NUMBERED_IMAGE.matcher(name);
            if (!m.matches()) {
                continue;
            }
            int n = m.group(1).length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(m.group(1));
            if (n < 2 || n > model.maxImages) {
                throw invalid(name, body.get(name), "input_image and input_image_2 to input_image_"
                        + model.maxImages + " only (" + model.id + " takes " + model.maxImages + " images)");
            }
            text(body, name, false);
        }
    }
}
