package dev.antler.openai.realtime;

import dev.antler.core.GatewayException;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** The realtime API's {@code error} server event: {@code {"type":"error","event_id","error":{type,code,message,param,event_id}}}. */
final class RealtimeErrors {

    private RealtimeErrors() {}

    /** A server-side failure ({@code server_error}) with {@code code}. */
    static String event(String code, String message) {
        return event("server_error", code, message);
    }

    /** The gateway's refusal, typed as its HTTP answer would be ({@code insufficient_quota}, {@code rate_limit_error}…). */
    static String event(GatewayException refusal) {
        return event(OpenAiErrorFormat.type(refusal.kind()), refusal.code(), refusal.getMessage());
    }

    private static String event(String type, String code, String message) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        root.put("event_id", "event_" + UUID.randomUUID().toString().replace("-", "").substring(0, 22));
        ObjectNode error = root.putObject("error");
        error.put("type", type);
        error.put("code", code);
        error.put("message", message);
        error.putNull("param");
        error.putNull("event_id");
        return new String(Json.bytes(root), StandardCharsets.UTF_8);
    }
}
