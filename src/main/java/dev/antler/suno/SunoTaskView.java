package dev.antler.suno;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Suno tasks as clients see them (new-api's TaskDto): the gateway's task id, status, times in unix seconds,
 * progress, and the clips from the upstream's last report ({@link Task#payload()}) without the upstream
 * account's fields ({@link AccountFields}). The upstream's task id never appears. A single fetch is wrapped as
 * {@code {"code":"success","message":"","data":{...}}}, a batch as the same with an array.
 */
public final class SunoTaskView {

    private SunoTaskView() {}

    /** The TaskDto of {@code task}; also the webhook payload. */
    public static ObjectNode render(Task task) {
        ObjectNode view = head(task);
        JsonNode clips = AccountFields.strip(clips(payload(task)), task.upstreamId());
        if (clips == null) {
            view.set("data", "LYRICS".equals(task.action()) ? Json.MAPPER.nullNode() : Json.MAPPER.createArrayNode());
        } else {
            view.set("data", clips);
        }
        return view;
    }

    /** {@code {"code":"success","message":"","data":<TaskDto>}}. */
    public static ObjectNode single(Task task) {
        return envelope(render(task));
    }

    /** {@code {"code":"success","message":"","data":[<TaskDto>...]}}, in the order given. */
    public static ObjectNode batch(List<Task> tasks) {
        ArrayNode data = Json.MAPPER.createArrayNode();
        tasks.forEach(task -> data.add(render(task)));
        return envelope(data);
    }

    static ObjectNode envelope(JsonNode data) {
        ObjectNode root = Json.object();
        root.put("code", "success");
        root.put("message", "");
        root.set("data", data);
        return root;
    }

    /** The fields every task family of this protocol shows, before its results. */
    static ObjectNode head(Task task) {
        ObjectNode view = Json.object();
        view.put("task_id", task.publicId());
        if (task.notifyHook() != null) {
            view.put("notify_hook", task.notifyHook());
        }
        view.put("action", task.action());
        view.put("status", wireStatus(task.status()));
        view.put("fail_reason", task.failReason() == null ? "" : task.failReason());
        view.put("submit_time", seconds(task.submittedAt()));
        view.put("start_time", task.startedAt() == null ? 0 : seconds(task.startedAt()));
        view.put("finish_time", task.finishedAt() == null ? 0 : seconds(task.finishedAt()));
        view.put("progress", progress(task));
        return view;
    }

    /** The protocol's words: CANCEL (a gateway-side end) shows as FAILURE, as it refunds like one. */
    static String wireStatus(TaskStatus status) {
        return switch (status) {
            case CANCEL -> "FAILURE";
            case MODAL -> "IN_PROGRESS";
            default -> status.name();
        };
    }

    static String progress(Task task) {
        if (task.status().terminal()) {
            return "100%";
        }
        return task.progress() == null || task.progress().isBlank() ? "0%" : task.progress();
    }

    private static long seconds(long millis) {
        return millis / 1000;
    }

    static JsonNode payload(Task task) {
        return task.payload() == null ? null : Json.MAPPER.readTree(task.payload());
    }

    /** The clips of a stored report: its {@code data} (an array, or a lyrics object), or the report itself if it is an array. */
    private static JsonNode clips(JsonNode payload) {
        if (payload == null || payload.isNull()) {
            return null;
        }
        if (payload.isArray()) {
            return payload;
        }
        JsonNode data = payload.get("data");
        return data == null || data.isNull() ? null : data;
    }
}
