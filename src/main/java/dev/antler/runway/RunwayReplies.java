package dev.antler.runway;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.TaskStatus;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;

/**
 * How a submit's answer reads, on each wire. Runway's: {@code {id}} accepted; 400 (or 422) refused in its own words,
 * uncharged; 401, 403, 429, 502 and 503 tried on another channel (the work was not taken: a key Runway refuses, a
 * rate limit, load shed); anything else a 502. The reverse format's: {@code {code: 200, data: {task_id}}} accepted;
 * a {@code code} of 400 (or HTTP 400) refused in its words; the rest as Runway's.
 */
final class RunwayReplies {

    private RunwayReplies() {}

    /**
     * Runway's answer; {@code refusal} renders Runway's refusal (its {@code error} message and {@code issues}, or
     * null) in the client's format.
     */
    static SubmitReply official(int status, byte[] body, BiFunction<String, JsonNode, byte[]> refusal) {
        JsonNode answer = Json.objectOrNull(body);
        String id = answer == null ? "" : answer.path("id").asString("");
        if ((status == 200 || status == 201) && !id.isBlank()) {
            return SubmitReply.Accepted.of(id, TaskStatus.SUBMITTED, body);
        }
        if ((status == 400 || status == 422) && answer != null && answer.path("error").isString()) {
            String message = "upstream refused: " + answer.path("error").asString();
            JsonNode issues = answer.path("issues").isArray() ? answer.path("issues") : null;
            return new SubmitReply.Refused(400, refusal.apply(message, issues), message);
        }
        return failed(status, "200 with a task id");
    }

    /** The reverse format's answer; {@code refusal} renders the upstream's {@code msg} in the client's format. */
    static SubmitReply compat(int status, byte[] body, BiFunction<String, JsonNode, byte[]> refusal) {
        JsonNode answer = Json.objectOrNull(body);
        int code = answer == null ? -1 : answer.path("code").asInt(-1);
        String id = answer == null ? "" : answer.path("data").path("task_id").asString("");
        if (status == 200 && code == 200 && !id.isBlank()) {
            return SubmitReply.Accepted.of(id, TaskStatus.SUBMITTED, body);
        }
        String msg = answer == null ? null : answer.path("msg").asString(null);
        if ((status == 400 || (status == 200 && code == 400)) && msg != null) {
            String message = "upstream refused: " + msg;
            return new SubmitReply.Refused(400, refusal.apply(message, null), message);
        }
        return failed(status == 200 && code > 0 ? code : status, "200 with code 200 and a task_id");
    }

    /** Not the upstream's words: an answer that is not a refusal could name its host or account. */
    private static SubmitReply failed(int status, String expected) {
        boolean elsewhere = status == 401 || status == 403 || status == 429 || status == 502 || status == 503;
        return new SubmitReply.Failed(new GatewayException(status == 429 ? 429 : 502, ErrorKind.UPSTREAM,
                "upstream_error", "upstream: HTTP " + status + " (expected: " + expected + ")"), elsewhere);
    }
}
