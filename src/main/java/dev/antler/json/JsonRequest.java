package dev.antler.json;

import static java.util.Objects.requireNonNull;

import dev.antler.core.GatewayException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client's JSON request body, read once at the top level: the scalar fields the gateway needs
 * (model, stream, max_tokens, ...), small object fields it may patch, and the byte offsets needed to
 * rewrite {@code model} or add a field by splicing bytes rather than re-serialising the body.
 */
public final class JsonRequest {

    /** The most text a kept structured field ({@code stream_options}, say) may take. */
    static final int MAX_KEPT_VALUE_BYTES = 64 * 1024;

    private final byte[] body;
    private final Map<String, JsonNode> fields = new HashMap<>();
    private final Map<String, JsonToken> firstTokens = new HashMap<>();
    private long modelStart = -1;
    private long modelEnd = -1;
    private long closingBrace = -1;
    private boolean empty = true;

    private JsonRequest(byte[] body) {
        this.body = body;
    }

    /**
     * Parses {@code body}, keeping the top-level fields named in {@code keep} (scalars, or small
     * objects such as {@code stream_options}); everything else is skipped without building trees.
     *
     * @throws GatewayException 400 if the body is not one JSON object
     */
    public static JsonRequest parse(byte[] body, Set<String> keep) {
        requireNonNull(body, "body");
        JsonRequest request = new JsonRequest(body);
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw GatewayException.badRequest("invalid_json", "request body: not a JSON object (expected: {...})");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                request.empty = false;
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                request.firstTokens.putIfAbsent(name, value);
                if (name.equals("model")) {
                    request.modelStart = parser.currentTokenLocation().getByteOffset();
                }
                if (keep.contains(name) || name.equals("model")) {
                    request.fields.put(name, valueNode(parser, value, body, name));
                } else if (value.isStructStart()) {
                    parser.skipChildren();
                }
                if (name.equals("model")) {
                    request.modelEnd = parser.currentLocation().getByteOffset();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw GatewayException.badRequest("invalid_json", "request body: malformed JSON object");
            }
            request.closingBrace = parser.currentTokenLocation().getByteOffset();
            if (parser.nextToken() != null) {
                throw GatewayException.badRequest("invalid_json", "request body: trailing data after the JSON object");
            }
        } catch (JacksonException e) {
            throw GatewayException.badRequest("invalid_json", "request body: malformed JSON: " + e.getOriginalMessage());
        }
        return request;
    }

    /**
     * The current value as a node: common scalars directly, anything else through the tree reader, once its
     * text is known to be small: a kept field is a scalar or a small object, and a tree can take tens of
     * times its text.
     */
    private static JsonNode valueNode(JsonParser parser, JsonToken value, byte[] body, String name) {
        return switch (value) {
            case VALUE_STRING -> JsonNodeFactory.instance.stringNode(parser.getString());
            case VALUE_TRUE, VALUE_FALSE -> JsonNodeFactory.instance.booleanNode(value == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> JsonNodeFactory.instance.nullNode();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? parser.readValueAsTree() : JsonNodeFactory.instance.numberNode(parser.getLongValue());
            default -> {
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                int length = (int) parser.currentLocation().getByteOffset() - start;
                if (length > MAX_KEPT_VALUE_BYTES) {
                    throw GatewayException.badRequest("invalid_" + name, name + ": " + length
                            + " bytes of JSON (expected: a small value, at most " + MAX_KEPT_VALUE_BYTES + " bytes)");
                }
                yield Json.MAPPER.readTree(body, start, length);
            }
        };
    }

    public byte[] body() {
        return body;
    }

    /** A kept field's value, or a missing node. */
    public JsonNode field(String name) {
        return fields.getOrDefault(name, MissingNode.getInstance());
    }

    /** The first token of any top-level field's value (START_ARRAY, VALUE_STRING, ...), or null if absent. */
    public JsonToken tokenOf(String name) {
        return firstTokens.get(name);
    }

    /** A required non-empty string field, or a 400 naming it. */
    public String requiredString(String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            throw GatewayException.badRequest("missing_" + name, name + ": missing (expected: a string)");
        }
        if (!node.isString() || node.stringValue().isBlank()) {
            throw GatewayException.badRequest("invalid_" + name, name + ": " + node + " (expected: a non-empty string)");
        }
        return node.stringValue();
    }

    public boolean bool(String name) {
        JsonNode node = fields.get(name);
        return node != null && node.isBoolean() && node.booleanValue();
    }

    /** An integer field from {@code min} to {@code max}, or {@code fallback} when absent or null; else a 400 naming it. */
    public long integer(String name, long min, long max, long fallback) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw GatewayException.badRequest("invalid_" + name, name + ": " + node + " (expected: an integer from "
                    + min + " to " + max + ")");
        }
        return node.longValue();
    }

    /**
     * The body with {@code model} replaced by {@code newModel} (when different) and, when
     * {@code includeUsage}, {@code stream_options.include_usage} forced to true.
     */
    public byte[] patched(String newModel, boolean includeUsage) {
        JsonNode model = fields.get("model");
        boolean replaceModel = modelStart >= 0 && !(model.isString() && model.stringValue().equals(newModel));
        JsonNode streamOptions = fields.getOrDefault("stream_options", MissingNode.getInstance());
        boolean addUsage = includeUsage && !streamOptions.path("include_usage").asBoolean(false);
        if (!replaceModel && !addUsage) {
            return body;
        }
        if (addUsage && !streamOptions.isMissingNode()) {
            return rewrittenTree(newModel);
        }
        // Two splices at most, in body order: the model value, then an insertion before the final '}'.
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 48);
        int cursor = 0;
        if (replaceModel) {
            out.write(body, 0, (int) modelStart);
            out.writeBytes(Json.bytes(newModel));
            cursor = (int) modelEnd;
        }
        if (addUsage) {
            out.write(body, cursor, (int) closingBrace - cursor);
            out.writeBytes(((empty ? "" : ",") + "\"stream_options\":{\"include_usage\":true}")
                    .getBytes(StandardCharsets.UTF_8));
            cursor = (int) closingBrace;
        }
        out.write(body, cursor, body.length - cursor);
        return out.toByteArray();
    }

    /** The rare case of stream_options present without include_usage: re-serialise the body once. */
    private byte[] rewrittenTree(String newModel) {
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(body);
        ObjectNode options = tree.get("stream_options") instanceof ObjectNode o ? o : tree.putObject("stream_options");
        options.put("include_usage", true);
        tree.put("model", newModel);
        return Json.bytes(tree);
    }
}
