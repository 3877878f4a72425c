package dev.antler.midjourney;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Task objects in the midjourney-proxy shape. What clients see is the upstream's last task object with the
 * gateway's facts laid over it: the gateway's task id, the stored status, progress and failure reason,
 * and {@code imageUrl} pointing at the gateway's {@code /mj/image/{id}} proxy.
 */
final class MjTaskView {

    private MjTaskView() {}

    static ObjectNode payload(Task task) {
        return task.payload() == null ? Json.object() : (ObjectNode) Json.MAPPER.readTree(task.payload());
    }

    static ObjectNode render(Task task) {
        ObjectNode view = payload(task);
        ObjectNode request = task.request() == null ? Json.object() : (ObjectNode) Json.MAPPER.readTree(task.request());
        view.put("id", task.publicId());
        view.put("action", task.action());
        view.put("status", task.status().name());
        view.put("progress", task.progress() == null ? "0%" : task.progress());
        view.put("submitTime", task.submittedAt());
        putTime(view, "startTime", task.startedAt());
        putTime(view, "finishTime", task.finishedAt());
        view.put("failReason", task.failReason());
        if (task.mode() != null) {
            view.put("mode", task.mode().toUpperCase());
        }
        for (String field : new String[] {"prompt", "state", "customId", "botType"}) {
            if (!view.hasNonNull(field) && request.hasNonNull(field)) {
                view.set(field, request.get(field));
            }
        }
        String imageUrl = view.path("imageUrl").asString("");
        if (!imageUrl.isBlank()) {
            view.put("imageUrl", request.path("baseUrl").asString("") + "/mj/image/" + task.publicId());
        }
        if (view.get("properties") instanceof ObjectNode properties) {
            properties.remove("notifyHook");   // the upstream's hook, not the client's
        }
        if (task.refunded()) {
            view.put("refunded", true);
        }
        return view;
    }

    private static void putTime(ObjectNode view, String field, Long value) {
        if (value != null) {
            view.put(field, value);
        } else if (!view.hasNonNull(field)) {
            view.putNull(field);
        }
    }

    /** What an upstream task object says, as an engine update. */
    static TaskUpdate update(JsonNode upstream) {
        TaskStatus status = status(upstream.path("status").asString(""));
        String reason = upstream.path("failReason").asString("");
        long start = upstream.path("startTime").asLong(0);
        return new TaskUpdate(status, upstream.path("progress").asString("0%"),
                reason.isBlank() ? null : reason, Json.MAPPER.writeValueAsString(upstream), start > 0 ? start : null);
    }

    static TaskStatus status(String upstream) {
        return switch (upstream) {
            case "SUBMITTED" -> TaskStatus.SUBMITTED;
            case "IN_PROGRESS" -> TaskStatus.IN_PROGRESS;
            case "MODAL" -> TaskStatus.MODAL;
            case "SUCCESS" -> TaskStatus.SUCCESS;
            case "FAILURE" -> TaskStatus.FAILURE;
            case "CANCEL" -> TaskStatus.CANCEL;
            default -> TaskStatus.NOT_START;
        };
    }
}
