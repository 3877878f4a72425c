package dev.antler.replicate;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.RequestBody;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and checks a client's prediction: the body ({@code input}, {@code version} on the legacy route,
 * {@code webhook}, {@code webhook_completed}, {@code webhook_events_filter}; {@code stream} is accepted and not served)
 * and the {@code Prefer: wait[=n]} header. Every refusal names the field and what is allowed.
 */
final class ReplicateInput {

    /** Replicate's model names: {@code owner/name}, letters, digits, '-', '_' and '.'. */
    static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}/[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** A version id: Replicate's 64-hex hash, or an official model's {@code dp-...} id. */
    static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{7,127}");
    private static final Pattern PREFER_WAIT = Pattern.compile("\\s*wait\\s*(=\\s*(\\S*))?\\s*",
            Pattern.CASE_INSENSITIVE);
    /** {@code Prefer: wait} without a number holds up to this many seconds, as Replicate does. */
    static final int MAX_WAIT = 60;

    private ReplicateInput() {}

    /** The body as a JSON object, or a 400. */
    static ObjectNode body(ClientRequest client) {
        JsonNode body = client.body() instanceof RequestBody.InMemory memory ? Json.objectOrNull(memory.bytes()) : null;
        if (body == null) {
            throw bad("body", "not a JSON object", "{\"input\": {...}}");
        }
        ObjectNode root = (ObjectNode) body;
        JsonNode input = root.get("input");
        if (input == null || !input.isObject()) {
            throw bad("input", describe(input), "an object of the model's inputs");
        }
        return root;
    }

    /** The client's webhook: {@code webhook}, else the legacy {@code webhook_completed}; null for none. */
    static String webhook(ObjectNode body) {
        String hook = url(body, "webhook");
        return hook != null ? hook : url(body, "webhook_completed");
    }

    /**
     * The events the webhook is sent for: {@code webhook_events_filter}, else all four (or only {@code completed} for
     * a {@code webhook_completed}).
     */
    static List<String> events(ObjectNode body) {
        JsonNode filter = body.get("webhook_events_filter");
        if (filter == null || filter.isNull()) {
            return url(body, "webhook") == null && url(body, "webhook_completed") != null
                    ? List.of(WebhookEvents.COMPLETED) : WebhookEvents.ALL;
        }
        if (!filter.isArray() || filter.isEmpty()) {
            throw bad("webhook_events_filter", describe(filter), "a non-empty array of " + WebhookEvents.ALL);
        }
        List<String> events = new ArrayList<>();
        for (JsonNode event : filter) {
            if (!event.isString() || !WebhookEvents.ALL.contains(event.asString())) {
                throw bad("webhook_events_filter", describe(event),
                        "each one of " + String.join(", ", WebhookEvents.ALL));
            }
            if (!events.contains(event.asString())) {
                events.add(event.asString());
            }
        }
        return List.copyOf(events);
    }

    /** The seconds {@code Prefer: wait[=n]} asks for: 0 without the header; n from 1 to {@link #MAX_WAIT}. */
    static int waitSeconds(String prefer) {
        if (prefer == null || prefer.isBlank()) {
            return 0;
        }
        for (String preference : prefer.split("[,;]")) {
            var match = PREFER_WAIT.matcher(preference);
            if (!match.matches()) {
                continue; // another preference (respond-async, ...): not ours to judge
            }
            if (match.group(1) == null) {
                return MAX_WAIT;
            }
            String n = match.group(2);
            try {
                int seconds = Integer.parseInt(n);
                if (seconds >= 1 && seconds <= MAX_WAIT) {
                    return seconds;
                }
            } catch (NumberFormatException ignored) {
                // answered below
            }
            throw bad("Prefer", "wait=" + n, "wait, or wait=n with n an integer from 1 to " + MAX_WAIT);
        }
        return 0;
    }

    /** {@code owner/name} from a path, or a 404 like Replicate's for a model that cannot exist. */
    static String model(String owner, String name) {
        String model = owner + "/" + name;
        if (!MODEL.matcher(model).matches()) {
            throw GatewayException.notFound("model_not_found", "model: " + model
                    + " (expected: owner/name of a model, letters, digits, '-', '_' or '.')");
        }
        return model;
    }

    /** The legacy route's {@code version}: {@code owner/name}, {@code owner/name:<version id>} or a version id. */
    static String version(ObjectNode body) {
        JsonNode version = body.get("version");
        String value = version != null && version.isString() ? version.asString().strip() : null;
        if (value == null || !(MODEL.matcher(value).matches() || VERSION.matcher(value).matches() || pinned(value))) {
            throw bad("version", describe(version), "owner/name, owner/name:<version id> or a version id");
        }
        return value;
    }

    private static boolean pinned(String value) {
        int colon = value.indexOf(':');
        return colon > 0 && MODEL.matcher(value.substring(0, colon)).matches()
                && VERSION.matcher(value.substring(colon + 1)).matches();
    }

    private static String url(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        String value = node.isString() ? node.asString().strip() : "";
        try {
            URI uri = URI.create(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && value.length() <= 2048) {
                return value;
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw bad(field, describe(node), "an http(s) URL of at most 2048 characters");
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "(missing)";
        }
        String text = node.isString() ? "\"" + node.asString() + "\"" : node.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    static GatewayException bad(String field, String value, String expected) {
        return GatewayException.badRequest("invalid_request", field + ": " + value + " (expected: " + expected + ")");
    }
}
