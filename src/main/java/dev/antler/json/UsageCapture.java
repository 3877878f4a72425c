package dev.antler.json;

import java.util.ArrayDeque;
import java.util.Deque;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a small tree from tokens pushed one at a time, starting after the opening
 * {@code START_OBJECT}. An object larger than {@link #MAX_TOKENS} is skipped to its end and
 * yields no tree, so a misbehaving upstream cannot make the gateway buffer a large body.
 */
final class UsageCapture {

    static final int MAX_TOKENS = 10_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode root = NODES.objectNode();
    private final Deque<JsonNode> open = new ArrayDeque<>();
    private String name;
    private int depth = 1;
    private int tokens;

    UsageCapture() {
        open.push(root);
    }

    /** Consumes one token; returns true once the object's closing token has been consumed. */
    boolean accept(JsonToken token, JsonParser parser) {
        if (++tokens > MAX_TOKENS) {
            open.clear();
        }
        switch (token) {
            case START_OBJECT -> {
                depth++;
                push(NODES.objectNode());
            }
            case START_ARRAY -> {
                depth++;
                push(NODES.arrayNode());
            }
            case END_OBJECT, END_ARRAY -> {
                depth--;
                open.poll();
            }
            case PROPERTY_NAME -> name = parser.currentName();
            case VALUE_STRING -> add(NODES.stringNode(parser.getString()));
            case VALUE_NUMBER_INT -> add(switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            });
            case VALUE_NUMBER_FLOAT -> add(NODES.numberNode(parser.getDoubleValue()));
            case VALUE_TRUE -> add(NODES.booleanNode(true));
            case VALUE_FALSE -> add(NODES.booleanNode(false));
            default -> add(NODES.nullNode());
        }
        return depth == 0;
    }

    /** The captured object, or null if it was too large. Only meaningful once complete. */
    ObjectNode result() {
        return tokens > MAX_TOKENS ? null : root;
    }

    private void push(JsonNode container) {
        if (tokens <= MAX_TOKENS) {
            add(container);
            open.push(container);
        }
    }

    private void add(JsonNode value) {
        JsonNode parent = open.peek();
        if (parent instanceof ObjectNode object) {
            object.set(name, value);
        } else if (parent instanceof ArrayNode array) {
            array.add(value);
        }
    }
}
