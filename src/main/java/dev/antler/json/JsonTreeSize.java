package dev.antler.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * What a Jackson tree of a JSON document takes in memory, estimated by one streaming pass that builds
 * nothing. A tree costs far more than its text when values are small ({@code [0,0,0,...]} holds a node
 * per two bytes), so a body is measured before one is built.
 */
public final class JsonTreeSize {

    /** A node with its share of its container (map entry or array slot), averaged over objects and scalars. */
    static final long BYTES_PER_VALUE = 80;

    private JsonTreeSize() {}

    /**
     * Bytes a tree of {@code json} would take: its text (strings copied into the tree) plus a node per value
     * and property name. Malformed JSON is measured up to the error (its parse fails anyway).
     */
    public static long estimate(byte[] json) {
        long nodes = 0;
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
                    nodes++;
                }
            }
        } catch (JacksonException e) {
            // measured up to the error
        }
        return json.length + nodes * BYTES_PER_VALUE;
    }
}
