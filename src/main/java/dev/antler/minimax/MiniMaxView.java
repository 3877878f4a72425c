package dev.antler.minimax;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A MiniMax task as MiniMax's clients see it, from the stored task: the gateway's task id (and, for V1, the
 * gateway's file id, which is the task id), the status in MiniMax's words (never one it does not document), the
 * result as the gateway's own link, times in seconds. The upstream's ids, hosts and signed links never appear.
 */
final class MiniMaxView {

    private MiniMaxView() {}

    /** {@code {"status_code": 0, "status_msg": "success"}}. */
    static ObjectNode ok() {
        ObjectNode base = Json.object();
        base.put("status_code", 0);
        base.put("status_msg", "success");
        return base;
    }

    /** V1's status word: {@code Preparing|Queueing|Processing|Success|Fail}. */
    static String v1Status(TaskStatus status) {
        return switch (status) {
            case NOT_START, SUBMITTED, MODAL -> "Preparing";
            case QUEUED -> "Queueing";
            case IN_PROGRESS -> "Processing";
            case SUCCESS -> "Success";
            case FAILURE, CANCEL -> "Fail";
        };
    }

    /** V2's status word: {@code queued|running|succeeded|failed|cancelled}. */
    static String v2Status(TaskStatus status) {
        return switch (status) {
            case NOT_START, SUBMITTED, QUEUED, MODAL -> "queued";
            case IN_PROGRESS -> "running";
            case SUCCESS -> "succeeded";
            case FAILURE -> "failed";
            case CANCEL -> "cancelled";
        };
    }

    /** {@code GET /v1/query/video_generation}: {@code {task_id, status, file_id, video_width, video_height, base_resp}}. */
    static ObjectNode v1Query(Task task) {
        ObjectNode out = Json.object();
        out.put("task_id", task.publicId());
        out.put("status", v1Status(task.status()));
        boolean done = task.status() == TaskStatus.SUCCESS;
        JsonNode made = payload(task);
        out.put("file_id", done ? task.publicId() : "");
        out.put("video_width", done ? made.path("video_width").asInt(0) : 0);
        out.put("video_height", done ? made.path("video_height").asInt(0) : 0);
        if (task.status().refunds()) {
            out.put("error_message", reason(task));
        }
        out.set("base_resp", ok());
        return out;
    }

    /** {@code GET /v1/files/retrieve}: {@code {file: {file_id, bytes, created_at, filename, purpose, download_url}}}. */
    static ObjectNode v1File(Task task, String link) {
        ObjectNode out = Json.object();
        ObjectNode file = out.putObject("file");
        file.put("file_id", Long.parseLong(task.publicId()));
        file.put("bytes", payload(task).path("file").path("bytes").asLong(0));
        file.put("created_at", (task.finishedAt() != null ? task.finishedAt() : task.updatedAt()) / 1000);
        file.put("filename", "output.mp4");
        file.put("purpose", "video_generation");
        file.put("download_url", link == null ? "" : link);
        out.set("base_resp", ok());
        return out;
    }

    /** A V1 task's webhook, as MiniMax calls back: {@code {task_id, status: processing|success|failed, file_id, base_resp}}. */
    static ObjectNode v1Callback(Task task) {
        ObjectNode out = Json.object();
        out.put("task_id", task.publicId());
        out.put("status", task.status() == TaskStatus.SUCCESS ? "success"
                : task.status().refunds() ? "failed" : "processing");
        if (task.status() == TaskStatus.SUCCESS) {
            out.put("file_id", task.publicId());
        }
        out.set("base_resp", ok());
        return out;
    }

    /** {@code GET /v2/query/video_generation/{task_id}} (and a V2 webhook): {@code {task: {...}}}. */
    static ObjectNode v2Task(Task task, String link) {
        JsonNode made = payload(task);
        JsonNode facts = facts(task);
        ObjectNode out = Json.object();
        ObjectNode t = out.putObject("task");
        t.put("id", task.publicId());
        t.put("model", facts.path("model").asString("MiniMax-H3"));
        t.put("status", v2Status(task.status()));
        if (task.status().refunds()) {
            ObjectNode error = t.putObject("error");
            error.put("code", made.path("error").path("code").isValueNode()
                    ? made.path("error").path("code").asString() : Integer.toString(MiniMaxCodes.UNKNOWN));
            error.put("message", reason(task));
        }
        t.put("created_at", task.submittedAt() / 1000);
        t.put("updated_at", task.updatedAt() / 1000);
        if (task.status() == TaskStatus.SUCCESS && link != null) {
            t.putObject("content").put("url", link);
        }
        t.put("resolution", made.path("resolution").asString(facts.path("resolution").asString("")));
        t.put("duration", made.path("duration").asInt(facts.path("duration").asInt(0)));
        if (made.path("usage").isObject()) {
            ObjectNode usage = t.putObject("usage");
            for (String field : new String[] {"total_seconds", "input_seconds", "output_seconds", "input_image_count"}) {
                if (made.path("usage").path(field).isIntegralNumber()) {
                    usage.put(field, made.path("usage").path(field).asLong());
                }
            }
        }
        t.put("ratio", made.path("ratio").asString(facts.path("ratio").asString("")));
        t.put("task_type", "generation");
        t.put("modality", "video");
        return out;
    }

    static String reason(Task task) {
        return task.failReason() == null || task.failReason().isBlank() ? "the video could not be made"
                : task.failReason();
    }

    static JsonNode payload(Task task) {
        return task.payload() == null ? Json.object() : Json.MAPPER.readTree(task.payload());
    }

    static JsonNode facts(Task task) {
        return task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
    }
}
