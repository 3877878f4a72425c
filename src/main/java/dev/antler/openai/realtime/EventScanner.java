package dev.antler.openai.realtime;

import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one direction of a session for a few event types: its text messages reassembled from their frames (up to
 * {@link #LIMIT}; longer ones, audio appends and deltas, are only relayed), and parsed only when they name one of
 * the types, so the bulk of the traffic is never parsed.
 */
final class EventScanner {

    /** Text messages longer than this are relayed but not read. */
    static final int LIMIT = 1 << 20;

    private final List<String> types;
    private final List<byte[]> needles;
    private Buffer message;
    private boolean scanning;

    EventScanner(String... types) {
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
        if (frame.isFinal() && message == null) {
            message = data;
        } else {
            message = (message == null ? Buffer.buffer() : message).appendBuffer(data);
            if (message.length() > LIMIT) {
                scanning = false;
                message = null;
                return null;
            }
        }
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
