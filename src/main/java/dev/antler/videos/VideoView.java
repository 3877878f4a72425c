package dev.antler.videos;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stored video as OpenAI's SDKs parse it: {@code {id, object: "video", model, status, progress, created_at,
 * completed_at, expires_at, seconds, size, prompt, remixed_from_video_id, error}} — the gateway's ids only, times
 * in unix seconds, the status one of OpenAI's four words.
 */
final class VideoView {

    private VideoView() {}

    /** OpenAI's status word for a task status: never anything but the four. */
    static String status(TaskStatus status) {
        return switch (status) {
            case SUCCESS -> "completed";
            case FAILURE, CANCEL -> "failed";
            case IN_PROGRESS -> "in_progress";
            default -> "queued"; // NOT_START, SUBMITTED, QUEUED (and MODAL, which videos never use)
        };
    }

    /** The task status for an upstream's status word; null for a word it does not know. */
    static TaskStatus internal(String status) {
        return switch (status) {
            case "queued" -> TaskStatus.QUEUED;
            case "in_progress" -> TaskStatus.IN_PROGRESS;
            case "completed" -> TaskStatus.SUCCESS;
            case "failed" -> TaskStatus.FAILURE;
            default -> null;
        };
    }

    /** The model the video was asked of. */
    static String model(Task task) {
        return VideoJson.parse(task.request().getBytes(StandardCharsets.UTF_8)).path("model").asString();
    }

    /** When the upstream said the video's content expires (unix seconds), or null when it did not say. */
    static Long expiresAt(Task task) {
        JsonNode upstream = task.payload() == null ? null : VideoJson.parse(task.payload().getBytes(StandardCharsets.UTF_8));
        return upstream != null && upstream.path("expires_at").isIntegralNumber() ? upstream.path("expires_at").asLong()
                : null;
    }

    static ObjectNode of(Task task) {
        JsonNode facts = VideoJson.parse(task.request().getBytes(StandardCharsets.UTF_8));
        JsonNode upstream = task.payload() == null ? null : VideoJson.parse(task.payload().getBytes(StandardCharsets.UTF_8));
        ObjectNode out = Json.object();
        out.put("id", task.publicId());
        out.put("object", "video");
        out.put("model", facts.path("model").asString());
        out.put("status", status(task.status()));
        out.put("progress", progress(task));
        out.put("created_at", task.submittedAt() / 1000);
        if (task.status() == TaskStatus.SUCCESS && task.finishedAt() != null) {
            out.put("completed_at", task.finishedAt() / 1000);
        } else {
            out.putNull("completed_at");
        }
        if (upstream != null && upstream.path("expires_at").isIntegralNumber()) {
            out.put("expires_at", upstream.path("expires_at").asLong());
        } else {
            out.putNull("expires_at");
        }
        long seconds = task.status() == TaskStatus.SUCCESS ? task.charge().units() : facts.path("seconds").asLong();
        out.put("seconds", Long.toString(seconds));
        String size = facts.path("size").isString() ? facts.path("size").asString()
                : upstream != null ? upstream.path("size").asString(VideoModels.DEFAULT_SIZE) : VideoModels.DEFAULT_SIZE;
        out.put("size", size);
        out.put("prompt", facts.path("prompt").asString());
        if (facts.path("remixed_from").isString()) {
            out.put("remixed_from_video_id", facts.path("remixed_from").asString());
        } else {
            out.putNull("remixed_from_video_id");
        }
        if (task.status().refunds()) {
            ObjectNode error = out.putObject("error");
            String code = upstream == null ? "" : upstream.path("error").path("code").asString("");
            error.put("code", code.isBlank() ? "video_generation_failed" : code);
            error.put("message", task.failReason() == null ? "the video could not be made" : task.failReason());
        } else {
            out.putNull("error");
        }
        return out;
    }

    private static int progress(Task task) {
        if (task.status() == TaskStatus.SUCCESS) {
            return 100;
        }
        String progress = task.progress();
        if (progress == null) {
            return 0;
        }
        try {
            int value = Integer.parseInt(progress.replace("%", "").trim());
            return Math.max(0, Math.min(100, value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
