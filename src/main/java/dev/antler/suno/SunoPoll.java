package dev.antler.suno;

import dev.antler.json.Json;
import dev.antler.tasks.TaskFamily;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a Suno upstream says about its tasks, as engine updates. The poll is one batch call per channel,
 * {@code POST {base}/suno/fetch {"ids":[...]}}, answered {@code {"code":"success","data":[TaskDto...]}};
 * {@code GET {base}/suno/fetch/{id}} answers one TaskDto. A 429 is {@link TaskFamily.UpstreamBusy}, so the
 * channel's polling backs off.
 *
 * <p>Each update keeps the upstream's TaskDto as the payload, its progress ({@code "0%".."100%"}; "100%" once
 * terminal), its {@code fail_reason} (on a FAILURE without one, the first clip's error message), and its
 * {@code start_time} (unix seconds) in milliseconds. A report whose status maps to nothing ({@link SunoStatus})
 * is left out, so the task stays as it was.
 */
public final class SunoPoll {

    public static final String BATCH_PATH = "/suno/fetch";

    private SunoPoll() {}

    /** The batch request's body. */
    public static byte[] batchRequest(Collection<String> upstreamIds) {
        ObjectNode query = Json.object();
        ArrayNode ids = query.putArray("ids");
        upstreamIds.forEach(ids::add);
        return Json.bytes(query);
    }

    /** The single fetch's path for {@code upstreamId}. */
    public static String singlePath(String upstreamId) {
        return BATCH_PATH + "/" + SunoInput.id("task_id", upstreamId);
    }

    /**
     * The batch answer as updates keyed by upstream task id; ids the upstream did not report are absent.
     *
     * @throws TaskFamily.UpstreamBusy on HTTP 429
     * @throws IllegalStateException   on another error status, or an answer that is not a success envelope
     */
    public static Map<String, TaskUpdate> batch(int httpStatus, byte[] body) {
        busy(httpStatus);
        if (httpStatus / 100 != 2) {
            throw new IllegalStateException("suno fetch: HTTP " + httpStatus + " (expected: 200)");
        }
        JsonNode root = json(body);
        if (root == null || !"success".equals(root.path("code").asString("")) || !root.path("data").isArray()) {
            throw new IllegalStateException("suno fetch: " + describe(root) + " (expected: {\"code\":\"success\",\"data\":[...]})");
        }
        Map<String, TaskUpdate> updates = new HashMap<>();
        for (JsonNode item : root.path("data")) {
            String id = item.path("task_id").asString("");
            TaskUpdate update = id.isBlank() ? null : update(item);
            if (update != null) {
                updates.put(id, update);
            }
        }
        return updates;
    }

    /**
     * The single fetch's answer as an update, or null when the upstream does not know the task (new-api
     * answers 400 {@code task_not_exist}) or reports a status that maps to nothing.
     *
     * @throws TaskFamily.UpstreamBusy on HTTP 429
     * @throws IllegalStateException   on a 5xx or another unexpected status
     */
    public static TaskUpdate single(int httpStatus, byte[] body) {
        JsonNode item = singleData(httpStatus, body, "suno fetch");
        return item == null ? null : update(item);
    }

    /** One TaskDto as an update, or null when its status maps to nothing. */
    public static TaskUpdate update(JsonNode item) {
        JsonNode clips = item.get("data");
        Optional<TaskStatus> status = SunoStatus.of(item.path("status").asString(""), clips);
        if (status.isEmpty()) {
            return null;
        }
        String reason = item.path("fail_reason").asString("");
        if (reason.isBlank() && status.get() == TaskStatus.FAILURE) {
            reason = clipError(clips);
            reason = reason.isBlank() ? "the upstream reported FAILURE without a reason" : reason;
        }
        return new TaskUpdate(status.get(), progress(item.path("progress").asString(""), status.get()),
                reason.isBlank() ? null : reason, Json.MAPPER.writeValueAsString(item), startedAt(item));
    }

    /** The {@code data} of a single-fetch answer; null when the upstream does not know the task. */
    static JsonNode singleData(int httpStatus, byte[] body, String what) {
        busy(httpStatus);
        if (httpStatus == 400 || httpStatus == 404) {
            return null;
        }
        if (httpStatus / 100 != 2) {
            throw new IllegalStateException(what + ": HTTP " + httpStatus + " (expected: 200)");
        }
        JsonNode root = json(body);
        if (root == null || !"success".equals(root.path("code").asString("")) || !root.path("data").isObject()) {
            return null;
        }
        return root.path("data");
    }

    static void busy(int httpStatus) {
        if (httpStatus == 429) {
            throw new TaskFamily.UpstreamBusy("the upstream answered 429");
        }
    }

    /** Progress as {@code "NN%"}: the upstream's when it is one, "100%" once terminal, else "0%". */
    static String progress(String upstream, TaskStatus status) {
        if (status.terminal()) {
            return "100%";
        }
        String value = upstream.strip();
        if (value.matches("\\d{1,3}%")) {
            return Math.min(100, Integer.parseInt(value.substring(0, value.length() - 1))) + "%";
        }
        return "0%";
    }

    /** {@code start_time} in milliseconds (the protocol sends unix seconds), or null when not started. */
    static Long startedAt(JsonNode item) {
        long start = item.path("start_time").asLong(0);
        if (start <= 0) {
            return null;
        }
        return start < 100_000_000_000L ? start * 1000 : start;
    }

    static JsonNode json(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            return root.isObject() ? root : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String clipError(JsonNode clips) {
        if (clips == null) {
            return "";
        }
        for (JsonNode clip : clips.isArray() ? clips : java.util.List.of(clips)) {
            for (JsonNode message : new JsonNode[] {clip.path("metadata").path("error_message"),
                    clip.path("metadata").path("error_type"), clip.path("error_message")}) {
                if (message.isString() && !message.asString().isBlank()) {
                    return message.asString();
                }
            }
        }
        return "";
    }

    private static String describe(JsonNode root) {
        if (root == null) {
            return "not a JSON object";
        }
        return "code " + root.path("code").asString("(none)") + ": " + root.path("message").asString("");
    }
}
