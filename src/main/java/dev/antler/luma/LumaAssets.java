package dev.antler.luma;

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
 * A completed generation's files at Luma — {@code assets.video}, then {@code assets.image} (its still), each when
 * reported — numbered in that order: link {@code n} of the task is file {@code n}. The in-progress
 * {@code progress_video} is not a result and gets no link.
 */
final class LumaAssets {

    /** One file: which asset it is ({@code video}, {@code image}) and Luma's URL. */
    record Asset(String kind, String url) {}

    private LumaAssets() {}

    static List<Asset> of(Task task) {
        JsonNode assets = task.payload() == null ? Json.object() : Json.MAPPER.readTree(task.payload()).path("assets");
        List<Asset> files = new ArrayList<>();
        for (String kind : List.of("video", "image")) {
            String url = assets.path(kind).asString("");
            if (!url.isBlank()) {
                files.add(new Asset(kind, url));
            }
        }
        return files;
    }

    /** The files the gateway serves under the task's links ({@link dev.antler.tasks.TaskResults}): public CDN URLs. */
    static List<ResultFile> files(Task task, Channel channel) {
        return of(task).stream().map(a -> a.kind().equals("video") ? ResultFile.video(a.url())
                : ResultFile.image(a.url())).toList();
    }

    /**
     * The gateway's link to the task's {@code kind} asset on {@code base} (null: the one kept at submit), or null when
     * it has none (or is not completed).
     */
    static String link(Task task, String kind, String base) {
        if (task.status() != TaskStatus.SUCCESS) {
            return null;
        }
        List<Asset> files = of(task);
        for (int n = 0; n < files.size(); n++) {
            if (files.get(n).kind().equals(kind)) {
                return ResultLinks.link(task, base, n);
            }
        }
        return null;
    }
}
