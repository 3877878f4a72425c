package dev.antler.kling;

import dev.antler.files.FileMirror;
import dev.antler.files.FileStore;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's own copies of a completed Kling task's results, when mirroring is on: each {@code url} of its
 * {@code task_result} (public CDN links: fetched without the channel's key, after the URL guard) streamed to the
 * mirror directory within the video or the image limit, in the background. As with the OpenAI videos' copies, the
 * file is its own record: kept under {@code kling-{task row id}-{n}} ({@link FileStore#keyedName}), found again
 * after a restart, swept with the retention. A result found too large is not tried again by this process.
 */
final class KlingCopies {

    private static final Logger log = LoggerFactory.getLogger(KlingCopies.class);
    private static final int MAX_REFUSED = 10_000;

    /** A kept copy: the file, its size and type. */
    record Copy(Path file, long size, String contentType) {}

    private final FileMirror mirror;
    private final Set<Long> copying = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    /** @param mirror null: mirroring is off, nothing is copied */
    KlingCopies(FileMirror mirror) {
        this.mirror = mirror;
    }

    boolean on() {
        return mirror != null;
    }

    /**
     * Starts copying the results {@code payload} (Kling's {@code data} object of {@code task}, completed) reports
     * that are not kept yet, one after the other, unless a copy of the task is under way; returns at once. Call
     * off the event loop (it looks at the disk).
     */
    void start(Task task, String payload) {
        if (mirror == null || payload == null || !copying.add(task.id())) {
            return;
        }
        JsonNode result = Json.MAPPER.readTree(payload).path("task_result");
        boolean videos = result.path("videos").isArray();
        List<String> urls = new ArrayList<>(); // "" where nothing is to be copied (kept already, refused, no URL)
        int n = 0;
        for (JsonNode item : videos ? result.path("videos") : result.path("images")) {
            String key = key(task, n++);
            boolean skip = refused.contains(key) || mirror.store().findKeyed(key).isPresent();
            urls.add(skip ? "" : item.path("url").asString(""));
        }
        copy(task, urls, videos ? mirror.videos() : mirror.images(), 0)
                .onComplete(done -> copying.remove(task.id()));
    }

    private Future<Void> copy(Task task, List<String> urls, FileMirror.Limit limit, int n) {
        if (n == urls.size()) {
            return Future.succeededFuture();
        }
        String key = key(task, n);
        if (urls.get(n).isEmpty()) {
            return copy(task, urls, limit, n + 1);
        }
        return mirror.copy(urls.get(n), Map.of(), key, limit)
                .onSuccess(file -> log.info("kling {}: result {} copied ({} bytes)", task.publicId(), n,
                        file.toFile().length()))
                .onFailure(e -> {
                    if (e instanceof FileMirror.TooLarge) {
                        if (refused.size() >= MAX_REFUSED) {
                            refused.clear();
                        }
                        refused.add(key);
                    }
                    log.warn("kling {}: result {} not copied, streamed from the upstream: {}", task.publicId(), n,
                            e.getMessage());
                })
                .transform(done -> copy(task, urls, limit, n + 1));
    }

    /** The kept copy of result {@code n} of {@code task}, if there is one. Blocking (looks at the disk). */
    Optional<Copy> find(Task task, int n) {
        if (mirror == null) {
            return Optional.empty();
        }
        return mirror.store().findKeyed(key(task, n)).flatMap(file -> {
            try {
                return Optional.of(new Copy(file, Files.size(file),
                        FileStore.contentType(file.getFileName().toString())));
            } catch (IOException e) {
                return Optional.empty(); // swept meanwhile
            }
        });
    }

    private static String key(Task task, int n) {
        return "kling-" + task.id() + "-" + n;
    }
}
