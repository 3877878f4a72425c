package dev.antler.videos;

import dev.antler.files.FileMirror;
import dev.antler.files.FileStore;
import dev.antler.routing.Channel;
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

/**
 * The gateway's own copies of completed videos, when mirroring is on: the {@code video} and {@code thumbnail}
 * variants, fetched from the upstream's {@code /v1/videos/{upstream id}/content?variant=} with the channel's key
 * and streamed to the mirror directory within {@code mirror.max_video_bytes} / {@code video_timeout_ms}, in the
 * background (the poller never waits for one).
 *
 * <p>Where a copy is: on disk, under a name made from the task's id and the variant
 * ({@code task-42-video.mp4}, see {@link FileStore#keyedName}) — the file is its own record. So a restart finds
 * every finished copy, a copy and its record expire together (the retention sweep deletes the file), no migration
 * is needed, and with several instances each knows exactly the copies on its own disk. A copy a stop interrupted
 * leaves only a partial file: it is made again by the next {@code /content}. One too large is not tried again by
 * this process (it is served from the upstream).
 */
final class VideoCopies {

    private static final Logger log = LoggerFactory.getLogger(VideoCopies.class);
    static final List<String> VARIANTS = List.of("video", "thumbnail");
    /** Keys found too large are remembered up to this many (then forgotten: one more try each). */
    private static final int MAX_REFUSED = 10_000;

    /** A kept copy: the file, its size and type. */
    record Copy(Path file, long size, String contentType) {}

    private final FileMirror mirror;
    private final Set<Long> copying = ConcurrentHashMap.newKeySet();
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    /** @param mirror null: mirroring is off, nothing is copied */
    VideoCopies(FileMirror mirror) {
        this.mirror = mirror;
    }

    boolean kept(String variant) {
        return mirror != null && VARIANTS.contains(variant);
    }

    /**
     * Starts copying the variants of {@code task} (completed upstream) not kept yet, one after the other, unless
     * its copy is already under way; returns at once. Call off the event loop (it looks at the disk).
     */
    void start(Channel channel, Task task) {
        if (mirror == null || !copying.add(task.id())) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String variant : VARIANTS) {
            String key = key(task, variant);
            if (!refused.containsKey(key) && mirror.store().findKeyed(key).isEmpty()) {
                missing.add(variant);
            }
        }
        copy(channel, task, missing, 0).onComplete(done -> copying.remove(task.id()));
    }

    private Future<Void> copy(Channel channel, Task task, List<String> variants, int index) {
        if (index == variants.size()) {
            return Future.succeededFuture();
        }
        String variant = variants.get(index);
        String key = key(task, variant);
        String url = channel.url("/v1/videos/" + task.upstreamId() + "/content?variant=" + variant);
        return mirror.copy(url, Map.of(VideosFamily.AUTH.name(), VideosFamily.AUTH.value(channel)), key,
                        mirror.videos())
                .onSuccess(file -> log.info("video {}: {} copied ({} bytes)", task.publicId(), variant,
                        file.toFile().length()))
                .onFailure(e -> {
                    if (e instanceof FileMirror.TooLarge) {
                        if (refused.size() >= MAX_REFUSED) {
                            refused.clear();
                        }
                        refused.put(key, e.getMessage());
                    }
                    log.warn("video {}: {} not copied from channel {}, served from the upstream: {}", task.publicId(),
                            variant, channel.name(), e.getMessage());
                })
                .transform(result -> copy(channel, task, variants, index + 1));
    }

    /** The kept copy of {@code variant} of {@code task}, if there is one. Blocking (looks at the disk). */
    Optional<Copy> find(Task task, String variant) {
        if (!kept(variant)) {
            return Optional.empty();
        }
        return mirror.store().findKeyed(key(task, variant)).flatMap(file -> {
            try {
                return Optional.of(new Copy(file, Files.size(file), FileStore.contentType(file.getFileName().toString())));
            } catch (IOException e) {
                return Optional.empty(); // swept meanwhile
            }
        });
    }

    private static String key(Task task, String variant) {
        return "task-" + task.id() + "-" + variant;
    }
}
