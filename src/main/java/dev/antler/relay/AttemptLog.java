package dev.antler.relay;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every attempt of one request, for the usage log's {@code attempt_log} column: a JSON array of
 * {@code {"channel_id", "channel", "status", "error", "ms"}}; status 0 means no HTTP answer (a
 * transport failure or timeout). Errors are masked of keys and abbreviated.
 */
final class AttemptLog {

    private static final int MAX_ERROR = 200;

    private final ArrayNode attempts = Json.MAPPER.createArrayNode();

    void add(Channel channel, int status, String error, long elapsedMs) {
        ObjectNode node = attempts.addObject();
        node.put("channel_id", channel.id());
        node.put("channel", channel.name());
        node.put("status", status);
        if (error == null) {
            node.putNull("error");
        } else {
            String masked = KeyMasker.mask(error);
            node.put("error", masked.length() <= MAX_ERROR ? masked : masked.substring(0, MAX_ERROR) + "…");
        }
        node.put("ms", elapsedMs);
    }

    int size() {
        return attempts.size();
    }

    /** The JSON text, or null when no attempt was made. */
    String json() {
        return attempts.isEmpty() ? null : attempts.toString();
    }
}
