package dev.antler.pika;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.ResultFiles.ResultFile;
import dev.antler.tasks.ResultLinks;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A finished Pika task's files at the relay — for each video in order, its {@code resultUrl}, {@code sharingUrl},
 * {@code videoPoster} and {@code imageThumb}, each when reported — numbered in that order: link {@code n} of the
 * task is file {@code n}. A {@code resultUrl} is a video unless it names an image (Pika makes one when no aspect
 * ratio is given); posters and thumbnails are images.
 */
final class PikaFiles {

    static final List<String> FIELDS = List.of("resultUrl", "sharingUrl", "videoPoster", "imageThumb");

    /** One file: the video it belongs to, its field, the relay's URL, whether it is a video. */
    record File(int video, String field, String url, boolean isVideo) {}

    private PikaFiles() {}

    static List<File> of(Task task) {
        List<File> files = new ArrayList<>();
        int v = 0;
        for (JsonNode video : videos(task)) {
            for (String field : FIELDS) {
                String url = video.path(field).asString("");
                if (!url.isBlank()) {
                    boolean image = field.equals("videoPoster") || field.equals("imageThumb")
                            || url.toLowerCase().matches(".*\\.(png|jpe?g|webp)(\\?.*)?");
                    files.add(new File(v, field, url, !image));
                }
            }
            v++;
        }
        return files;
    }

    /** The files the gateway serves under the task's links ({@link dev.antler.tasks.TaskResults}). */
    static List<ResultFile> files(Task task, Channel channel) {
        return of(task).stream().map(f -> f.isVideo() ? ResultFile.video(f.url()) : ResultFile.image(f.url()))
                .toList();
    }

    /**
     * The gateway's link to {@code field} of video {@code v} of a finished task, on {@code base} (null: the one kept
     * at submit), or null for none.
     */
    static String link(Task task, int v, String field, String base) {
        if (task.status() != TaskStatus.SUCCESS) {
            return null;
        }
        List<File> files = of(task);
        for (int n = 0; n < files.size(); n++) {
            if (files.get(n).video() == v && files.get(n).field().equals(field)) {
                return ResultLinks.link(task, base, n);
            }
        }
        return null;
    }

    /** The videos the relay last reported for {@code task}. */
    static JsonNode videos(Task task) {
        return task.payload() == null ? Json.MAPPER.createArrayNode()
                : Json.MAPPER.readTree(task.payload()).path("videos");
    }
}
