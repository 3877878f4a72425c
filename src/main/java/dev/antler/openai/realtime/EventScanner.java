package dev.antler.openai.realtime;

import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one direction of a session for a few event types: its text messages reassembled from their frames (up to a
 * size; longer ones, audio appends and deltas, are only relayed, never copied), and parsed only when they name one
 * of the types, so the bulk of the traffic is never parsed.
 */
final class EventScanner {

    /** The upstream's events read: a {@code response.done} carries the response's output items. */
    static final int UPSTREAM_LIMIT = 1 << 20;
    /**
     * The client's events read: a {@code response.create} is small. One made longer is relayed unread, and its
     * response is checked when the upstream reports it started ({@code response.created}).
     */
    static final int CLIENT_LIMIT = 64 * 1024;

    private final int limit;
    private final List<String> types;
    private final List<byte[]> needles;
    private Buffer message;
    private boolean scanning;

    EventScanner(int limit, String... types) {
        this.limit = limit;
        this.types = List.of(types);
        this.needles = this.types.stream().map(t -> ("\"" + t + "\"").getBytes(StandardCharsets.US_ASCII)).toList();
    }

    /** The event {@code frame} completes, when it is one of the types watched; else null. */
    ObjectNode accept(WebSocketFrame frame) {
        if (!frame.isContinuation()) {
            scanning = frame.isText();
            message = null;
        }
        if (!scanning) {
            return null;
        }
        Buffer data = frame.binaryData();
        if ((message == null ? 0 : message.length()) + data.length() > limit) {
            scanning = false;
            message = null;
            return null;
        }
        message = frame.isFinal() && message == null ? data
                : (message == null ? Buffer.buffer() : message).appendBuffer(data);
        if (!frame.isFinal()) {
            return null;
        }
        byte[] bytes = message.getBytes();
        message = null;
        for (int i = 0; i < needles.size(); i++) {
            if (contains(bytes, needles.get(i))) {
                ObjectNode event = Json.objectOrNull(bytes);
                return event != null && types.contains(event.path("type").asString("")) ? event : null;
            }
        }
        return null;
    }

    static String type(ObjectNode event) {
        return event.path("type").asString("");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
