package dev.antler.midjourney;

import dev.antler.core.GatewayException;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated submit: the action billed, the upstream path and body (the gateway's task ids replaced by
 * the upstream's, the client's {@code notifyHook} kept by the gateway), and the task it acts on, if any.
 *
 * @param parent     the task an action/modal/change refers to (its channel must serve the submit), or null
 * @param createsTask false for submits answered at once without a task (upload-discord-images)
 */
record MjSubmitRequest(MjActions.Action action, String upstreamPath, ObjectNode upstreamBody, Task parent,
                       boolean createsTask, String notifyHook) {

    static final String PROMPT = "a Midjourney prompt such as 'a red fox --ar 16:9'";

    /**
     * Validates a submit to {@code kind} (the path after {@code /mj/}); {@code tasks} finds the caller's own
     * task by public id or throws 404.
     */
    static MjSubmitRequest of(String kind, ObjectNode body, Function<String, Task> tasks) {
        String hook = MjInput.optionalText(body, "notifyHook");
        ObjectNode upstream = body.deepCopy();
        upstream.remove("notifyHook");
        String path = "/mj/" + kind;
        return switch (kind) {
            case "submit/imagine" -> {
                MjInput.requireText(body, "prompt", PROMPT);
                MjInput.base64Array(body, 0, 5);
                yield new MjSubmitRequest(new MjActions.Action("IMAGINE", "imagine"), path, upstream, null, true, hook);
            }
            case "submit/blend" -> {
                MjInput.base64Array(body, 2, 5);
                yield new MjSubmitRequest(new MjActions.Action("BLEND", "blend"), path, upstream, null, true, hook);
            }
            case "submit/describe" -> {
                if (MjInput.optionalText(body, "link") == null) {
                    MjInput.base64Field(body, "base64", true);
                }
                yield new MjSubmitRequest(new MjActions.Action("DESCRIBE", "describe"), path, upstream, null, true, hook);
            }
            case "submit/shorten" -> {
                MjInput.requireText(body, "prompt", PROMPT);
                yield new MjSubmitRequest(new MjActions.Action("SHORTEN", "shorten"), path, upstream, null, true, hook);
            }
            case "submit/edits", "submit/video" -> {
                MjInput.requireText(body, "prompt", PROMPT);
                MjInput.base64Field(body, "image", false);
                MjInput.base64Field(body, "maskBase64", false);
                String name = kind.substring("submit/".length());
                yield new MjSubmitRequest(new MjActions.Action(name.toUpperCase(), name), path, upstream, null, true, hook);
            }
            case "insight-face/swap" -> {
                MjInput.base64Field(body, "sourceBase64", true);
                MjInput.base64Field(body, "targetBase64", true);
                yield new MjSubmitRequest(new MjActions.Action("SWAP_FACE", "swap_face"), path, upstream, null, true,
                        hook);
            }
            case "submit/upload-discord-images" -> {
                MjInput.base64Array(body, 1, 5);
                yield new MjSubmitRequest(new MjActions.Action("UPLOAD", "upload"), path, upstream, null, false, hook);
            }
            case "submit/action" -> {
                String customId = MjInput.requireText(body, "customId", "a button customId from the task's buttons");
                Task parent = finished(tasks, MjInput.requireText(body, "taskId", "the id of a finished task"));
                checkButton(parent, customId);
                upstream.put("taskId", parent.upstreamId());
                yield new MjSubmitRequest(MjActions.ofCustomId(customId), path, upstream, parent, true, hook);
            }
            case "submit/change" -> {
                Task parent = finished(tasks, MjInput.requireText(body, "taskId", "the id of a finished task"));
                MjActions.Action action = MjActions.ofChange(MjInput.optionalText(body, "action"));
                upstream.put("taskId", parent.upstreamId());
                yield new MjSubmitRequest(action, path, upstream, parent, true, hook);
            }
            case "submit/simple-change" -> {
                String content = MjInput.requireText(body, "content", "'<taskId> U1' (U1-U4, V1-V4 or R)");
                String[] parts = content.strip().split("\\s+");
                if (parts.length != 2) {
                    throw GatewayException.badRequest("invalid_content", "content: " + content
                            + " (expected: '<taskId> U1' (U1-U4, V1-V4 or R))");
                }
                MjActions.Action action = MjActions.ofSimpleChange(parts[1]);
                Task parent = finished(tasks, parts[0]);
                upstream.put("content", parent.upstreamId() + " " + parts[1]);
                yield new MjSubmitRequest(action, path, upstream, parent, true, hook);
            }
            case "submit/modal" -> {
                Task parent = tasks.apply(MjInput.requireText(body, "taskId", "the id of a task in MODAL status"));
                if (parent.status() != TaskStatus.MODAL) {
                    throw GatewayException.badRequest("task_not_modal", "taskId: " + parent.publicId() + " is "
                            + parent.status() + " (expected: a task in MODAL status)");
                }
                MjInput.base64Field(body, "maskBase64", false);
                upstream.put("taskId", parent.upstreamId());
                yield new MjSubmitRequest(new MjActions.Action("MODAL", "modal"), path, upstream, parent, true, hook);
            }
            default -> throw GatewayException.notFound("not_found", "path: /mj/" + kind
                    + " (expected: a midjourney-proxy submit path)");
        };
    }

    private static Task finished(Function<String, Task> tasks, String taskId) {
        Task task = tasks.apply(taskId);
        if (task.status() != TaskStatus.SUCCESS) {
            throw GatewayException.badRequest("task_not_finished", "taskId: " + taskId + " is " + task.status()
                    + " (expected: a task in SUCCESS status)");
        }
        return task;
    }

    /** The customId must be one of the task's buttons, when the upstream reported them. */
    private static void checkButton(Task task, String customId) {
        ObjectNode payload = MjTaskView.payload(task);
        if (!(payload.get("buttons") instanceof ArrayNode buttons) || buttons.isEmpty()) {
            return;
        }
        for (var button : buttons) {
            if (customId.equals(button.path("customId").asString(""))) {
                return;
            }
        }
        throw GatewayException.badRequest("invalid_custom_id", "customId: " + customId
                + " (expected: one of the buttons of task " + task.publicId() + ")");
    }
}
