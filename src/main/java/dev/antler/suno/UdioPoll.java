package dev.antler.suno;

import dev.antler.json.Json;
import dev.antler.tasks.TaskFamily;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What a Udio upstream says about one task, {@code GET {base}/udio/fetch/{id}} (Udio has no batch fetch),
 * answered {@code {"code":"success","data":{task_id, action, status, ..., songs:[...]}}}; some relays nest the
 * songs one level deeper, {@code data.data.songs}, and both are read. The rules are {@link SunoPoll}'s: a 429 is
 * {@link TaskFamily.UpstreamBusy}, an unknown task or status is null, progress "0%".."100%", start_time in ms.
 */
public final class UdioPoll {

    private UdioPoll() {}

    /** The single fetch's path for {@code upstreamId}. */
    public static String path(String upstreamId) {
        return "/udio/fetch/" + SunoInput.id("task_id", upstreamId);
    }

    /**
     * The answer as an update, or null when the upstream does not know the task or its status maps to nothing.
     *
     * @throws TaskFamily.UpstreamBusy on HTTP 429
     * @throws IllegalStateException   on a 5xx or another unexpected status
     */
    public static TaskUpdate single(int httpStatus, byte[] body) {
        JsonNode item = SunoPoll.singleData(httpStatus, body, "udio fetch");
        return item == null ? null : update(item);
    }

    /** One task object as an update, or null when its status maps to nothing. */
    public static TaskUpdate update(JsonNode item) {
        JsonNode songs = songs(item);
        Optional<TaskStatus> status = SunoStatus.ofUdio(item.path("status").asString(""), songs);
        if (status.isEmpty()) {
            return null;
        }
        String reason = item.path("fail_reason").asString("");
        if (reason.isBlank() && status.get() == TaskStatus.FAILURE) {
            reason = songError(songs);
        }
        return new TaskUpdate(status.get(), SunoPoll.progress(item.path("progress").asString(""), status.get()),
                reason.isBlank() ? null : reason, Json.MAPPER.writeValueAsString(item), SunoPoll.startedAt(item));
    }

    /** The songs of a task object ({@code songs}, or {@code data.songs}), or null. */
    static JsonNode songs(JsonNode item) {
        if (item == null) {
            return null;
        }
        JsonNode songs = item.path("songs");
        if (!songs.isArray()) {
            songs = item.path("data").path("songs");
        }
        return songs.isArray() ? songs : null;
    }

    private static String songError(JsonNode songs) {
        if (songs != null) {
            for (JsonNode song : songs) {
                for (String field : new String[] {"error_detail", "error_type", "error_code"}) {
                    JsonNode value = song.path(field);
                    if (!value.isNull() && !value.isMissingNode() && !value.asString("").isBlank()) {
                        return value.isString() ? value.asString() : value.toString();
                    }
                }
            }
        }
        return "the upstream reported FAILURE without a reason";
    }
}
