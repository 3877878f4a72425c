package dev.antler.suno;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Udio tasks as clients see them: {@code {"code":"success","message":"","data":{task_id, notify_hook?, action:
 * "udio-generate", status, fail_reason, submit_time, start_time, finish_time (unix seconds), progress, songs:[...]}}}
 * with the songs of the upstream's last report, without the upstream account's fields ({@link AccountFields},
 * which also drops {@code generation_id}, the upstream's task id).
 */
public final class UdioTaskView {

    private UdioTaskView() {}

    /** The task object; also the webhook payload. */
    public static ObjectNode render(Task task) {
        ObjectNode view = SunoTaskView.head(task);
        JsonNode songs = AccountFields.strip(UdioPoll.songs(SunoTaskView.payload(task)), task.upstreamId());
        view.set("songs", songs == null ? Json.MAPPER.createArrayNode() : songs);
        return view;
    }

    /** {@code {"code":"success","message":"","data":<task>}}. */
    public static ObjectNode single(Task task) {
        return SunoTaskView.envelope(render(task));
    }
}
