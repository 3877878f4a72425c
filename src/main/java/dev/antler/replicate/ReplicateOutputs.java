package dev.antler.replicate;

import dev.antler.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The files in a prediction's {@code output}: every http(s) URL in it — the output itself, the items of a list, the
 * values of an object, in document order — is result file n (its order among them). Other values (an LLM's text,
 * numbers, {@code data:} URIs) are the output itself and stay as they are.
 */
final class ReplicateOutputs {

    private ReplicateOutputs() {}

    /** The file URLs in {@code output}, in order. */
    static List<String> urls(JsonNode output) {
        List<String> urls = new ArrayList<>();
        walk(output, urls);
        return urls;
    }

    /** {@code output} with file n's URL replaced by {@code link.apply(n)} (null: none yet). */
    static JsonNode rewrite(JsonNode output, IntFunction<String> link) {
        return rewrite(output, link, new int[1]);
    }

    static boolean isUrl(JsonNode node) {
        if (!node.isString()) {
            return false;
        }
        String text = node.asString();
        return text.regionMatches(true, 0, "https://", 0, 8) || text.regionMatches(true, 0, "http://", 0, 7);
    }

    private static void walk(JsonNode node, List<String> urls) {
        if (isUrl(node)) {
            urls.add(node.asString());
        } else if (node.isArray() || node.isObject()) {
            for (JsonNode child : node.values()) {
                walk(child, urls);
            }
        }
    }

    private static JsonNode rewrite(JsonNode node, IntFunction<String> link, int[] next) {
        if (isUrl(node)) {
            String url = link.apply(next[0]++);
            return url == null ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.stringNode(url);
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.values().forEach(child -> copy.add(rewrite(child, link, next)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            node.properties().forEach(e -> copy.set(e.getKey(), rewrite(e.getValue(), link, next)));
            return copy;
        }
        return node;
    }
}
