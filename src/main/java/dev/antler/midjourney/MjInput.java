package dev.antler.midjourney;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.RequestBody;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Checks of a submit's JSON fields; each failure names the field and what was expected. */
final class MjInput {

    private MjInput() {}

    /** The body as a JSON object, or a 400 {@code invalid_json}. */
    static ObjectNode object(RequestBody body) {
        ObjectNode object = body instanceof RequestBody.InMemory memory ? Json.objectOrNull(memory.bytes()) : null;
        if (object == null) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: a JSON object "
                    + "such as {\"prompt\": \"a red fox\"})");
        }
        return object;
    }

    static String requireText(ObjectNode body, String field, String expected) {
        JsonNode node = body.get(field);
        if (node == null || !node.isString() || node.asString().isBlank()) {
            throw GatewayException.badRequest("missing_" + field, field + ": "
                    + (node == null || node.isNull() ? "missing" : node.toString()) + " (expected: " + expected + ")");
        }
        return node.asString();
    }

    static String optionalText(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    /** Checks {@code base64Array} has between {@code min} and {@code max} valid images (when present or required). */
    static void base64Array(ObjectNode body, int min, int max) {
        JsonNode array = body.get("base64Array");
        if (array == null || array.isNull()) {
            if (min > 0) {
                throw GatewayException.badRequest("missing_base64Array", "base64Array: missing (expected: "
                        + min + " to " + max + " images as data URIs, data:image/png;base64,...)");
            }
            return;
        }
        if (!array.isArray() || array.size() < min || array.size() > max) {
            throw GatewayException.badRequest("invalid_base64Array", "base64Array: "
                    + (array.isArray() ? array.size() + " images" : array.getNodeType().toString())
                    + " (expected: " + min + " to " + max + " images as data URIs)");
        }
        for (int i = 0; i < array.size(); i++) {
            base64("base64Array[" + i + "]", array.get(i));
        }
    }

    /** Checks an optional (or, if {@code required}, present) single base64 image field. */
    static void base64Field(ObjectNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw GatewayException.badRequest("missing_" + field, field
                        + ": missing (expected: an image as a data URI, data:image/png;base64,...)");
            }
            return;
        }
        base64(field, node);
    }

    private static void base64(String name, JsonNode node) {
        String text = node.isString() ? node.asString() : "";
        String data = text.startsWith("data:") && text.contains(",") ? text.substring(text.indexOf(',') + 1) : text;
        boolean ok = !data.isBlank();
        if (ok) {
            try {
                Base64.getMimeDecoder().decode(data);
                ok = data.strip().matches("[A-Za-z0-9+/=\\r\\n]+");
            } catch (IllegalArgumentException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw GatewayException.badRequest("invalid_base64", name + ": not valid base64 (expected: an image as "
                    + "a data URI, data:image/png;base64,...)");
        }
    }
}
