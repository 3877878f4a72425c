package dev.antler.tasks;

import dev.antler.files.FileMirror;
import dev.antler.files.FileNames;
import dev.antler.files.FileStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own copies of completed tasks' result files, when mirroring is on: each file streamed from the
 * upstream to the mirror's {@link FileStore} (a directory or a bucket) within the image or the video limit, one
 * after the other, in the background (no poll or answer waits for one).
 *
 * <p>The file is its own record: kept under {@code {family}-{task row id}-{n}} ({@link FileNames#keyedName}), so a
 * restart finds every finished copy and a copy and its record expire together (the retention sweep deletes the
 * file). Instances sharing a bucket (and so the database) share the copies: one finished by another is found and
 * not made again; two made at once are harmless, each stored whole. A copy a stop interrupted leaves only a
 * partial file: the next read of the link starts it again. One found too large is not tried again by this process
 * (it is streamed from the upstream). A storage that cannot be asked means no copy: the result is streamed from
 * the upstream and the reason logged.
 */
final class ResultCopies {

    private static final Logger log = LoggerFactory.getLogger(ResultCopies.class);
    /** Keys found too large are remembered up to this many (then forgotten: one more try each). */
    private static final int MAX_REFUSED = 10_000;

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
     * returns at once. Blocking (looks at the store).
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
        if (!file.copied() || refused.contains(key)) {
            return copy(task, files, n + 1);
        }
        Future<FileStore.Stored> copied;
        try {
            copied = mirror.store().findKeyed(key).isPresent() ? null
                    : mirror.copy(file.url(), file.headers(), key, file.video() ? mirror.videos() : mirror.images());
        } catch (FileStore.StoreUnavailable e) {
            copied = Future.failedFuture(e);
        }
        if (copied == null) {
            return copy(task, files, n + 1);
        }
        return copied
                .onSuccess(stored -> log.info("{} {}: result {} copied ({} bytes)", task.family(), task.publicId(), n,
                        stored.size()))
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

    /** The kept copy of result {@code n} of {@code task}, if there is one. Blocking (looks at the store). */
    Optional<FileStore.Stored> find(Task task, int n) {
        if (mirror == null) {
            return Optional.empty();
        }
        try {
            return mirror.store().findKeyed(key(task, n));
        } catch (FileStore.StoreUnavailable e) {
            log.warn("{} {}: result {} served from the upstream, the copies cannot be looked up: {}", task.family(),
                    task.publicId(), n, e.getMessage());
            return Optional.empty();
        }
    }

    /** Where the copies are kept. */
    FileStore store() {
        return mirror.store();
    }

    private static String key(Task task, int n) {
        return task.family() + "-" + task.id() + "-" + n;
    }
}
