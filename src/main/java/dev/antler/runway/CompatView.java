package dev.antler.runway;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task in DeerAPI's reverse ("compat") format: the {@code data} object of its answers and callbacks
 * ({@code {task_id, state, status: "0" new | "1" generating | "2" failed | "3" success, prompt, prompt_en, video_url,
 * raw_video_url, poster, last_frame, msg, refund, create_time, update_time}}) with the gateway's task id and links
 * (never the upstream's id or URLs), times in unix seconds as strings, {@code refund} "1" once the gateway refunded
 * it. The upstream's {@code point} (its credits) is not shown: the gateway's charge is in its usage log.
 */
final class CompatView {

    /** DeerAPI's word for a successful answer. */
    static final String OK = "成功";

    private CompatView() {}

    /** {@code {"code": 200, "msg": "成功", "data": ..., "exec_time": ...}}. */
    static ObjectNode envelope(JsonNode data, double execSeconds) {
        ObjectNode root = Json.object();
        root.put("code", 200);
        root.put("msg", OK);
        root.set("data", data);
        root.put("exec_time", execSeconds);
        return root;
    }

    static ObjectNode data(Task task, Links links) {
        JsonNode facts = task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
        RunwayReport report = RunwayReport.of(task);
        ObjectNode data = Json.object();
        data.put("task_id", task.publicId());
        data.put("state", "");
        data.put("status", RunwayReport.compatCode(task.status()));
        data.put("prompt", facts.path("prompt").asString(""));
        data.putNull("prompt_en");
        boolean done = task.status() == TaskStatus.SUCCESS;
        String video = done && !report.videos().isEmpty() ? links.link(task, 0) : null;
        data.put("video_url", video);
        data.put("raw_video_url", video);
        int n = report.videos().size(); // the results' order: the videos, then the poster and last frame given
        for (String field : new String[] {"poster", "last_frame"}) {
            if (hasImage(task, field)) {
                data.put(field, done ? links.link(task, n) : null);
                n++;
            } else {
                data.putNull(field);
            }
        }
        data.put("msg", task.status().refunds() ? (task.failReason() != null ? task.failReason()
                : report.failure() != null ? report.failure() : "failed") : null);
        data.put("refund", task.refunded() ? "1" : "0");
        data.put("create_time", String.valueOf(task.submittedAt() / 1000));
        data.put("update_time", String.valueOf(task.updatedAt() / 1000));
        return data;
    }

    /** Whether the reverse-format upstream reported {@code field} (poster, last_frame) for {@code task}. */
    private static boolean hasImage(Task task, String field) {
        if (task.payload() == null) {
            return false;
        }
        JsonNode value = Json.MAPPER.readTree(task.payload()).path(field);
        return value.isString() && !value.asString().isBlank();
    }
}
