package dev.antler.kling;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.ResultFiles;
import dev.antler.tasks.ResultLinks;
import dev.antler.tasks.Task;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task as Kling's clients see it: the {@code data} object of Kling's answers and callbacks, with the gateway's
 * task id (never the upstream's), {@code task_info.external_task_id} as the client gave it, and
 * {@code task_result} from the upstream's last report, only its documented fields kept
 * ({@code videos[{id, url, duration}]}, {@code images[{index, url}]}) — each {@code url} the gateway's link
 * ({@link ResultLinks}), never Kling's; a video's {@code id} is Kling's, kept because clients pass it back to
 * video-extend and lip-sync. Times in ms.
 */
final class KlingTaskView {

    private KlingTaskView() {}

    /** {@code {"code": 0, "message": "SUCCEED", "request_id": ..., "data": ...}}. */
    static ObjectNode envelope(String requestId, JsonNode data) {
        ObjectNode root = Json.object();
        root.put("code", 0);
        root.put("message", "SUCCEED");
        root.put("request_id", requestId);
        root.set("data", data);
        return root;
    }

    /** @param base the base URL of the links; null: the one kept with the task at submit */
    static ObjectNode data(Task task, String base) {
        ObjectNode data = Json.object();
        data.put("task_id", task.publicId());
        data.put("task_status", KlingStatus.toKling(task.status()));
        data.put("task_status_msg", task.failReason() == null ? "" : task.failReason());
        ObjectNode info = data.putObject("task_info");
        JsonNode request = task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
        if (request.path("external_task_id").isString()) {
            info.put("external_task_id", request.path("external_task_id").asString());
        }
        ObjectNode result = data.putObject("task_result");
        JsonNode reported = task.payload() == null ? Json.object()
                : Json.MAPPER.readTree(task.payload()).path("task_result");
        if (reported.path("videos").isArray()) {
            ArrayNode videos = result.putArray("videos");
            int n = 0;
            for (JsonNode v : reported.path("videos")) {
                ObjectNode video = videos.addObject();
                copy(v, video, "id");
                link(task, base, n++, video);
                copy(v, video, "duration");
            }
        }
        if (reported.path("images").isArray()) {
            ArrayNode images = result.putArray("images");
            int n = 0;
            for (JsonNode i : reported.path("images")) {
                ObjectNode image = images.addObject();
                copy(i, image, "index");
                link(task, base, n++, image);
            }
        }
        data.put("created_at", task.submittedAt());
        data.put("updated_at", task.updatedAt());
        return data;
    }

    /** The upstream's result files of {@code task}: each {@code url} of its {@code task_result}, public CDN links. */
    static List<ResultFiles.ResultFile> resultFiles(Task task, Channel channel) {
        JsonNode result = task.payload() == null ? Json.object()
                : Json.MAPPER.readTree(task.payload()).path("task_result");
        boolean videos = result.path("videos").isArray();
        List<ResultFiles.ResultFile> files = new ArrayList<>();
        for (JsonNode item : videos ? result.path("videos") : result.path("images")) {
            String url = item.path("url").asString("");
            files.add(videos ? ResultFiles.ResultFile.video(url) : ResultFiles.ResultFile.image(url));
        }
        return files;
    }

    private static void link(Task task, String base, int n, ObjectNode item) {
        String url = ResultLinks.link(task, base, n);
        if (url != null) {
            item.put("url", url);
        }
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.has(field)) {
            to.set(field, from.get(field));
        }
    }
}
