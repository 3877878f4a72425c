package dev.antler.openai.realtime;

import dev.antler.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** The realtime API's {@code error} server event: {@code {"type":"error","event_id","error":{type,code,message,param,event_id}}}. */
final class RealtimeErrors {

    private RealtimeErrors() {}

    static String event(String code, String message) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        root.put("event_id", "event_" + UUID.randomUUID().toString().replace("-", "").substring(0, 22));
        ObjectNode error = root.putObject("error");
        error.put("type", code.equals("insufficient_balance") ? "insufficient_quota" : "server_error");
        error.put("code", code);
        error.put("message", message);
        error.putNull("param");
        error.putNull("event_id");
        return new String(Json.bytes(root), StandardCharsets.UTF_8);
    }
}
