package dev.antler.pika;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Pika task as the relays' clients see it, {@code GET /pika/feed/{id}}: {@code {id, promptText, videos[{id,
 * status, progress, seed, resultUrl, sharingUrl, videoPoster, imageThumb, duration, error}]}} with the gateway's
 * task id (and {@code <task id>-<n>} for a second video on), never the relay's ids, and every URL the gateway's
 * link ({@link PikaFiles}). A video's status is the relay's while the task runs, and the task's own once it ended
 * ({@code finished}, or {@code error} with the reason — a timeout's too). Before the relay reported, one queued video.
 */
final class PikaView {

    private PikaView() {}

    /** @param base the base URL of the links: the current request's, or null for the one kept at submit */
    static ObjectNode feed(Task task, String base) {
        JsonNode facts = task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
        ObjectNode out = Json.object();
        out.put("id", task.publicId());
        out.put("promptText", facts.path("promptText").asString(""));
        ArrayNode videos = out.putArray("videos");
        JsonNode reported = PikaFiles.videos(task);
        int count = Math.max(1, reported.size());
        for (int v = 0; v < count; v++) {
            videos.add(video(task, v, reported.path(v), base));
        }
        return out;
    }

    private static ObjectNode video(Task task, int v, JsonNode reported, String base) {
        ObjectNode video = Json.object();
        video.put("id", v == 0 ? task.publicId() : task.publicId() + "-" + v);
        TaskStatus status = task.status();
        String word = status.terminal() ? (status == TaskStatus.SUCCESS ? "finished" : "error")
                : reported.path("status").isString() ? reported.path("status").asString()
                : status == TaskStatus.IN_PROGRESS ? "pending" : "queued";
        video.put("status", word);
        video.put("progress", status == TaskStatus.SUCCESS ? 100 : reported.path("progress").asInt(0));
        copyNumber(reported, video, "seed");
        for (String field : PikaFiles.FIELDS) {
            String link = PikaFiles.link(task, v, field, base);
            if (link == null) {
                video.putNull(field);
            } else {
                video.put(field, link);
            }
        }
        copyNumber(reported, video, "duration");
        if (status.refunds()) {
            video.put("error", task.failReason() == null ? "the video could not be made" : task.failReason());
        } else {
            video.put("error", "");
        }
        return video;
    }

    private static void copyNumber(JsonNode from, ObjectNode to, String field) {
        if (from.path(field).isNumber()) {
            to.set(field, from.get(field));
        } else {
            to.putNull(field);
        }
    }
}
