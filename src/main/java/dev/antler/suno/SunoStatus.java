package dev.antler.suno;

import dev.antler.tasks.TaskStatus;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The upstream's status words as the engine's {@link TaskStatus}. An unknown word (new-api's own
 * {@code UNKNOWN}, a typo, a new state) maps to nothing: the caller keeps the task where it was, so a client
 * never sees a status outside the documented set.
 *
 * <p>Task-level {@code status}, any case (new-api's DTO comments also name {@code queueing}, {@code processing}
 * and {@code failed}, accepted as aliases):
 * <pre>
 *   NOT_START               → NOT_START
 *   SUBMITTED               → SUBMITTED
 *   QUEUED, queueing        → QUEUED
 *   IN_PROGRESS, processing → IN_PROGRESS
 *   SUCCESS                 → SUCCESS
 *   FAILURE, failed         → FAILURE
 *   anything else           → none (keep the stored status)
 *   missing or blank        → from the clips, below
 * </pre>
 * Suno clip {@code status} words ({@code submitted|queued|streaming|complete|error}), read only when the task
 * status is missing; a lyrics task's single object counts as one clip:
 * <pre>
 *   any clip error                          → FAILURE
 *   every clip complete                     → SUCCESS
 *   any clip streaming, or some complete    → IN_PROGRESS
 *   any clip queued                         → QUEUED
 *   any clip submitted                      → SUBMITTED
 *   no clip with a known word               → none
 * </pre>
 * Udio songs ({@code finished}, {@code error_*}), read only when the task status is missing: any song with an
 * error → FAILURE; every song finished → SUCCESS; some songs → IN_PROGRESS; no songs → none.
 */
public final class SunoStatus {

    private SunoStatus() {}

    /** A Suno task's status from its task-level word, else from its clips ({@code data}). */
    public static Optional<TaskStatus> of(String taskStatus, JsonNode clips) {
        return blank(taskStatus) ? ofClips(clips) : ofTask(taskStatus);
    }

    /** A Udio task's status from its task-level word, else from its songs. */
    public static Optional<TaskStatus> ofUdio(String taskStatus, JsonNode songs) {
        return blank(taskStatus) ? ofSongs(songs) : ofTask(taskStatus);
    }

    public static Optional<TaskStatus> ofTask(String status) {
        if (status == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (status.strip().toUpperCase(Locale.ROOT)) {
            case "NOT_START" -> TaskStatus.NOT_START;
            case "SUBMITTED" -> TaskStatus.SUBMITTED;
            case "QUEUED", "QUEUEING" -> TaskStatus.QUEUED;
            case "IN_PROGRESS", "PROCESSING" -> TaskStatus.IN_PROGRESS;
            case "SUCCESS" -> TaskStatus.SUCCESS;
            case "FAILURE", "FAILED" -> TaskStatus.FAILURE;
            default -> null;
        });
    }

    public static Optional<TaskStatus> ofClips(JsonNode clips) {
        if (clips == null || !(clips.isArray() || clips.isObject())) {
            return Optional.empty();
        }
        Iterable<JsonNode> all = clips.isArray() ? clips : List.of(clips);
        int total = 0;
        int complete = 0;
        boolean error = false;
        boolean streaming = false;
        boolean queued = false;
        boolean submitted = false;
        for (JsonNode clip : all) {
            total++;
            switch (clip.path("status").asString("").strip().toLowerCase(Locale.ROOT)) {
                case "error" -> error = true;
                case "complete" -> complete++;
                case "streaming" -> streaming = true;
                case "queued" -> queued = true;
                case "submitted" -> submitted = true;
                default -> { } // a word we do not know says nothing
            }
        }
        if (error) {
            return Optional.of(TaskStatus.FAILURE);
        }
        if (total > 0 && complete == total) {
            return Optional.of(TaskStatus.SUCCESS);
        }
        if (streaming || complete > 0) {
            return Optional.of(TaskStatus.IN_PROGRESS);
        }
        if (queued) {
            return Optional.of(TaskStatus.QUEUED);
        }
        return submitted ? Optional.of(TaskStatus.SUBMITTED) : Optional.empty();
    }

    public static Optional<TaskStatus> ofSongs(JsonNode songs) {
        if (songs == null || !songs.isArray() || songs.isEmpty()) {
            return Optional.empty();
        }
        int finished = 0;
        for (JsonNode song : songs) {
            if (hasError(song)) {
                return Optional.of(TaskStatus.FAILURE);
            }
            if (song.path("finished").asBoolean(false)) {
                finished++;
            }
        }
        return Optional.of(finished == songs.size() ? TaskStatus.SUCCESS : TaskStatus.IN_PROGRESS);
    }

    /** A Udio song reports a failure in any of its {@code error_*} fields. */
    static boolean hasError(JsonNode song) {
        for (String field : new String[] {"error_type", "error_code", "error_id", "error_detail"}) {
            JsonNode value = song.get(field);
            if (value != null && !value.isNull() && !(value.isString() && value.asString().isBlank())) {
                return true;
            }
        }
        return false;
    }

    private static boolean blank(String status) {
        return status == null || status.isBlank();
    }
}
