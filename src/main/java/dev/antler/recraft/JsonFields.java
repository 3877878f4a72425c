package dev.antler.recraft;

import static dev.antler.recraft.RecraftChecks.invalid;
import static dev.antler.recraft.RecraftChecks.missing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON Recraft request: the body as sent, its tree, and its fields; images are given as URLs or data URLs
 * ({@code image_url}, {@code mask_url}, {@code image_urls}).
 */
final class JsonFields implements RecraftFields {

    private final byte[] bytes;
    private final ObjectNode root;

    JsonFields(byte[] bytes, ObjectNode root) {
        this.bytes = bytes;
        this.root = root;
    }

    /** The body as sent: forwarded as it is unless the model changes. */
    byte[] bytes() {
        return bytes;
    }

    ObjectNode root() {
        return root;
    }

    @Override
    public String scalar(String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isContainer()) {
            throw invalid(name, node.isArray() ? "an array" : "an object", "a string or a number");
        }
        String text = node.isString() ? node.stringValue() : node.toString();
        return text.isEmpty() ? null : text;
    }

    @Override
    public boolean given(String name) {
        JsonNode node = root.get(name);
        return node != null && !node.isNull() && !(node.isString() && node.stringValue().isEmpty())
                && !(node.isContainer() && node.isEmpty());
    }

    @Override
    public void requireImages(RecraftEndpoint.Input input) {
        String field = input.jsonField();
        JsonNode node = root.get(field);
        if (input.many()) {
            if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
                throw missing(field, "an array of one or more images, each " + IMAGE_URL);
            }
            if (!node.isArray()) {
                throw invalid(field, node.isString() ? "a string" : node.toString(), "an array of image URLs");
            }
            for (int i = 0; i < node.size(); i++) {
                url(field + "[" + i + "]", node.get(i));
            }
            return;
        }
        if (node == null || node.isNull() || (node.isString() && node.stringValue().isBlank())) {
            throw missing(field, IMAGE_URL);
        }
        url(field, node);
    }

    private static void url(String field, JsonNode node) {
        String value = node.isString() ? node.stringValue() : null;
        boolean link = value != null
                && (value.startsWith("https://") || value.startsWith("http://") || value.startsWith("data:"));
        if (!link) {
            throw invalid(field, value == null ? node.toString() : RecraftChecks.quote(value), IMAGE_URL);
        }
    }
}
