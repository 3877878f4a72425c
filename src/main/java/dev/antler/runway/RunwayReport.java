package dev.antler.runway;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What an upstream said about a task, read from either of its two wires: Runway's task object ({@code {id, status:
 * PENDING|THROTTLED|RUNNING|SUCCEEDED|FAILED|CANCELLED, progress, output[], failure, failureCode}}) or the reverse
 * format's {@code data} object ({@code {task_id, status: "0".."3", video_url, poster, last_frame, msg}}). The status
 * words map to the gateway's:
 * <pre>
 *   Runway      reverse  → gateway         gateway                  → Runway      reverse
 *   PENDING     "0"      → SUBMITTED       NOT_START, SUBMITTED     → PENDING     "0"
 *   THROTTLED            → QUEUED          QUEUED                   → THROTTLED   "0"
 *   RUNNING     "1"      → IN_PROGRESS     IN_PROGRESS, MODAL       → RUNNING     "1"
 *   SUCCEEDED   "3"      → SUCCESS         SUCCESS                  → SUCCEEDED   "3"
 *   FAILED      "2"      → FAILURE         FAILURE                  → FAILED      "2"
 *   CANCELLED            → CANCEL          CANCEL                   → CANCELLED   "2"
 * </pre>
 * Any other word is no news (null status): the task stays as it is and is asked about again.
 *
 * @param progress  0 to 1 while running, else null
 * @param videos    the result videos' upstream URLs, in order
 * @param images    the reverse format's poster and last frame URLs (in that order, those given)
 */
record RunwayReport(TaskStatus status, Double progress, List<String> videos, List<String> images, String failure,
                    String failureCode) {

    /** Runway's task object. */
    static RunwayReport official(JsonNode task) {
        TaskStatus status = switch (task.path("status").asString("")) {
            case "PENDING" -> TaskStatus.SUBMITTED;
            case "THROTTLED" -> TaskStatus.QUEUED;
            case "RUNNING" -> TaskStatus.IN_PROGRESS;
            case "SUCCEEDED" -> TaskStatus.SUCCESS;
            case "FAILED" -> TaskStatus.FAILURE;
            case "CANCELLED" -> TaskStatus.CANCEL;
            default -> null;
        };
        List<String> videos = new ArrayList<>();
        task.path("output").forEach(url -> {
            if (url.isString()) {
                videos.add(url.asString());
            }
        });
        Double progress = task.path("progress").isNumber()
                ? Math.max(0, Math.min(1, task.path("progress").asDouble())) : null;
        return new RunwayReport(status, progress, videos, List.of(), text(task, "failure"), text(task, "failureCode"));
    }

    /** The reverse format's {@code data} object. */
    static RunwayReport compat(JsonNode data) {
        TaskStatus status = switch (data.path("status").asString("")) {
            case "0" -> TaskStatus.SUBMITTED;
            case "1" -> TaskStatus.IN_PROGRESS;
            case "2" -> TaskStatus.FAILURE;
            case "3" -> TaskStatus.SUCCESS;
            default -> null;
        };
        List<String> videos = new ArrayList<>();
        String video = text(data, "video_url");
        if (video != null) {
            videos.add(video);
        }
        List<String> images = new ArrayList<>();
        for (String field : List.of("poster", "last_frame")) {
            String url = text(data, field);
            if (url != null) {
                images.add(url);
            }
        }
        return new RunwayReport(status, null, videos, images, text(data, "msg"), null);
    }

    /** The last report kept with {@code task} (either wire), or an empty one. */
    static RunwayReport of(Task task) {
        if (task.payload() == null) {
            return new RunwayReport(null, null, List.of(), List.of(), null, null);
        }
        JsonNode payload = Json.MAPPER.readTree(task.payload());
        return payload.has("task_id") ? compat(payload) : official(payload);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }

    /** Runway's word for {@code status}. */
    static String runway(TaskStatus status) {
        return switch (status) {
            case NOT_START, SUBMITTED -> "PENDING";
            case QUEUED -> "THROTTLED";
            case IN_PROGRESS, MODAL -> "RUNNING";
            case SUCCESS -> "SUCCEEDED";
            case FAILURE -> "FAILED";
            case CANCEL -> "CANCELLED";
        };
    }

    /** The reverse format's code for {@code status}. */
    static String compatCode(TaskStatus status) {
        return switch (status) {
            case NOT_START, SUBMITTED, QUEUED -> "0";
            case IN_PROGRESS, MODAL -> "1";
            case SUCCESS -> "3";
            case FAILURE, CANCEL -> "2";
        };
    }
}
