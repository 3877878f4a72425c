package dev.antler.midjourney;

import dev.antler.core.GatewayException;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated submit: the action billed, the upstream path and body (the client's {@code notifyHook} kept by
 * the gateway), and the task it acts on, if any. Read in two steps: {@link #read} checks the body alone (on the
 * event loop); {@link #resolve} finds the caller's task it refers to and puts the upstream's id for it in the
 * body (off the event loop: a store read).
 *
 * @param parentId    the gateway id of the task an action/modal/change refers to, or null
 * @param parent      that task once resolved (its channel must serve the submit), else null
 * @param createsTask false for submits answered at once without a task (upload-discord-images)
 */
record MjSubmitRequest(MjActions.Action action, String upstreamPath, ObjectNode upstreamBody, String parentId,
                       Task parent, boolean createsTask, String notifyHook) {

    static final String PROMPT = "a Midjourney prompt such as 'a red fox --ar 16:9'";

    /** Validates a submit to {@code kind} (the path after {@code /mj/}). */
    static MjSubmitRequest read(String kind, ObjectNode body) {
        String hook = MjInput.optionalText(body, "notifyHook");
        ObjectNode upstream = body.deepCopy();
        upstream.remove("notifyHook");
        String path = "/mj/" + kind;
        return switch (kind) {
            case "submit/imagine" -> {
                MjInput.requireText(body, "prompt", PROMPT);
                MjInput.base64Array(body, 0, 5);
                yield fresh(new MjActions.Action("IMAGINE", "imagine"), path, upstream, hook);
            }
            case "submit/blend" -> {
                MjInput.base64Array(body, 2, 5);
                yield fresh(new MjActions.Action("BLEND", "blend"), path, upstream, hook);
            }
            case "submit/describe" -> {
                if (MjInput.optionalText(body, "link") == null) {
                    MjInput.base64Field(body, "base64", true);
                }
                yield fresh(new MjActions.Action("DESCRIBE", "describe"), path, upstream, hook);
            }
            case "submit/shorten" -> {
                MjInput.requireText(body, "prompt", PROMPT);
                yield fresh(new MjActions.Action("SHORTEN", "shorten"), path, upstream, hook);
            }
            case "submit/edits", "submit/video" -> {
                MjInput.requireText(body, "prompt", PROMPT);
                MjInput.base64Field(body, "image", false);
                MjInput.base64Field(body, "maskBase64", false);
                String name = kind.substring("submit/".length());
                yield fresh(new MjActions.Action(name.toUpperCase(), name), path, upstream, hook);
            }
            case "insight-face/swap" -> {
                MjInput.base64Field(body, "sourceBase64", true);
                MjInput.base64Field(body, "targetBase64", true);
                yield fresh(new MjActions.Action("SWAP_FACE", "swap_face"), path, upstream, hook);
            }
            case "submit/upload-discord-images" -> {
                MjInput.base64Array(body, 1, 5);
                yield new MjSubmitRequest(new MjActions.Action("UPLOAD", "upload"), path, upstream, null, null, false,
                        hook);
            }
            case "submit/action" -> {
                String customId = MjInput.requireText(body, "customId", "a button customId from the task's buttons");
                String parent = MjInput.requireText(body, "taskId", "the id of a finished task");
                yield new MjSubmitRequest(MjActions.ofCustomId(customId), path, upstream, parent, null, true, hook);
            }
            case "submit/change" -> {
                String parent = MjInput.requireText(body, "taskId", "the id of a finished task");
                MjActions.Action action = MjActions.ofChange(MjInput.optionalText(body, "action"));
                yield new MjSubmitRequest(action, path, upstream, parent, null, true, hook);
            }
            case "submit/simple-change" -> {
                String content = MjInput.requireText(body, "content", "'<taskId> U1' (U1-U4, V1-V4 or R)");
                String[] parts = content.strip().split("\\s+");
                if (parts.length != 2) {
                    throw GatewayException.badRequest("invalid_content", "content: " + content
                            + " (expected: '<taskId> U1' (U1-U4, V1-V4 or R))");
                }
                MjActions.Action action = MjActions.ofSimpleChange(parts[1]);
                yield new MjSubmitRequest(action, path, upstream, parts[0], null, true, hook);
            }
            case "submit/modal" -> {
                String parent = MjInput.requireText(body, "taskId", "the id of a task in MODAL status");
                MjInput.base64Field(body, "maskBase64", false);
                yield new MjSubmitRequest(new MjActions.Action("MODAL", "modal"), path, upstream, parent, null, true,
                        hook);
            }
            default -> throw GatewayException.notFound("not_found", "path: /mj/" + kind
                    + " (expected: a midjourney-proxy submit path)");
        };
    }

    private static MjSubmitRequest fresh(MjActions.Action action, String path, ObjectNode upstream, String hook) {
        return new MjSubmitRequest(action, path, upstream, null, null, true, hook);
    }

    /**
     * The request with its parent task found by {@code tasks} (the caller's own task by public id, or 404) and
     * checked — finished for an action or change (and the button one of its own), waiting in MODAL for a modal —
     * and the upstream's id for it in the body.
     */
    MjSubmitRequest resolve(Function<String, Task> tasks) {
        if (parentId == null) {
            return this;
        }
        Task found = tasks.apply(parentId);
        ObjectNode body = upstreamBody.deepCopy();
        if (upstreamPath.equals("/mj/submit/modal")) {
            if (found.status() != TaskStatus.MODAL) {
                throw GatewayException.badRequest("task_not_modal", "taskId: " + found.publicId() + " is "
                        + found.status() + " (expected: a task in MODAL status)");
            }
        } else if (found.status() != TaskStatus.SUCCESS) {
            throw GatewayException.badRequest("task_not_finished", "taskId: " + parentId + " is " + found.status()
                    + " (expected: a task in SUCCESS status)");
        }
        if (upstreamPath.equals("/mj/submit/action")) {
            checkButton(found, body.path("customId").asString(""));
        }
        if (upstreamPath.equals("/mj/submit/simple-change")) {
            String command = body.path("content").asString("").strip().split("\\s+")[1];
            body.put("content", found.upstreamId() + " " + command);
        } else {
            body.put("taskId", found.upstreamId());
        }
        return new MjSubmitRequest(action, upstreamPath, body, parentId, found, createsTask, notifyHook);
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
