package dev.antler.tasks;

import dev.antler.files.FileMirror;
import dev.antler.files.FileStore;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own copies of completed tasks' result files, when mirroring is on: each file streamed from the
 * upstream to the mirror directory within the image or the video limit, one after the other, in the background
 * (no poll or answer waits for one).
 *
 * <p>The file is its own record: kept under {@code {family}-{task row id}-{n}} ({@link FileStore#keyedName}), so a
 * restart finds every finished copy, a copy and its record expire together (the retention sweep deletes the file),
 * and with several instances each knows exactly the copies on its own disk. A copy a stop interrupted leaves only
 * a partial file: the next read of the link starts it again. One found too large is not tried again by this
 * process (it is streamed from the upstream).
 */
final class ResultCopies {

    private static final Logger log = LoggerFactory.getLogger(ResultCopies.class);
    /** Keys found too large are remembered up to this many (then forgotten: one more try each). */
    private static final int MAX_REFUSED = 10_000;

    /** A kept copy: the file, its size and type. */
    record Copy(Path file, long size, String contentType) {}

    private final FileMirror mirror;
    private final Set<Long> copying = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    /** @param mirror null: mirroring is off, nothing is copied */
    ResultCopies(FileMirror mirror) {
        this.mirror = mirror;
    }

    boolean on() {
        return mirror != null;
    }

    /**
     * Starts copying the {@code files} of {@code task} not kept yet, unless a copy of the task is under way;
     * returns at once. Blocking (looks at the disk).
     */
    void start(Task task, List<ResultFiles.ResultFile> files) {
        if (mirror == null || files.isEmpty() || !copying.add(task.id())) {
            return;
        }
        copy(task, files, 0).onComplete(done -> copying.remove(task.id()));
    }

    private Future<Void> copy(Task task, List<ResultFiles.ResultFile> files, int n) {
        if (n == files.size()) {
            return Future.succeededFuture();
        }
        String key = key(task, n);
        ResultFiles.ResultFile file = files.get(n);
        if (!file.copied() || refused.contains(key) || mirror.store().findKeyed(key).isPresent()) {
            return copy(task, files, n + 1);
        }
        return mirror.copy(file.url(), file.headers(), key, file.video() ? mirror.videos() : mirror.images())
                .onSuccess(path -> log.info("{} {}: result {} copied ({} bytes)", task.family(), task.publicId(), n,
                        path.toFile().length()))
                .onFailure(e -> {
                    if (e instanceof FileMirror.TooLarge) {
                        if (refused.size() >= MAX_REFUSED) {
                            refused.clear();
                        }
                        refused.add(key);
                    }
                    log.warn("{} {}: result {} not copied, streamed from the upstream: {}", task.family(),
                            task.publicId(), n, e.getMessage());
                })
                .transform(done -> copy(task, files, n + 1));
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
        return task.family() + "-" + task.id() + "-" + n;
    }
}
