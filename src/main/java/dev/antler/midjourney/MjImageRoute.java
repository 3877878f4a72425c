package dev.antler.midjourney;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import dev.antler.security.BaseUrlGuard;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskReads;
import dev.antler.tasks.TaskStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * {@code GET /mj/image/{id}}: a task's result image, without a key (as midjourney-proxy serves it), so the
 * task id is the capability: ids are unguessable (see {@link MjIds}). The only URL ever fetched is
 * the {@code imageUrl} the upstream reported for that task, as stored; nothing in the client's request
 * (query, headers) is used, and the URL must pass the {@link BaseUrlGuard} like any upstream address.
 * Each request is logged at zero cost under the task's owner (endpoint {@code mj.image}).
 */
final class MjImageRoute {

    private final Vertx vertx;
    private final TaskStore store;
    private final BaseUrlGuard guard;
    private final MjImageProxy proxy;
    private final TaskReads log;
    private final ExecutorService blocking;

    MjImageRoute(Vertx vertx, TaskStore store, BaseUrlGuard guard, MjImageProxy proxy, TaskReads log,
                 ExecutorService blocking) {
        this.vertx = vertx;
        this.store = store;
        this.guard = guard;
        this.proxy = proxy;
        this.log = log;
        this.blocking = blocking;
    }

    record Source(Task task, String url) {}

    void handle(Exchange ex, String publicId) {
        Context context = vertx.getOrCreateContext();
        Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> source(publicId), blocking), context)
                .onFailure(ex::fail)
                .onSuccess(source -> proxy.relay(source.url(), publicId, ex.response()).onComplete(done -> {
                    Task task = source.task();
                    if (done.succeeded()) {
                        log.log(ex.requestId(), task.userId(), task.keyId(), "mj.image", MjTasks.FAMILY, task.channelId(), 200,
                                ex.elapsedMillis(), done.result().endReason(), null);
                        return;
                    }
                    GatewayException error = Exchange.asGatewayException(done.cause());
                    log.log(ex.requestId(), task.userId(), task.keyId(), "mj.image", MjTasks.FAMILY, task.channelId(), error.status(),
                            ex.elapsedMillis(), error.code().equals("image_timeout") ? "timeout" : "error",
                            error.getMessage());
                    ex.fail(error);
                }));
    }

    /** The task and the image URL stored for it; blocking (store read, name resolution). */
    private Source source(String publicId) {
        Task task = store.find(publicId).filter(t -> t.family().equals(MjTasks.FAMILY))
                .orElseThrow(() -> GatewayException.notFound("image_not_found", "id: " + publicId
                        + " (expected: the id of a Midjourney task with an image)"));
        String url = MjTaskView.payload(task).path("imageUrl").asString("").strip();
        if (url.isEmpty()) {
            throw GatewayException.notFound("image_not_found", "id: " + publicId + " has no image yet (expected: a "
                    + "task in SUCCESS status)");
        }
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw new GatewayException(502, ErrorKind.UPSTREAM, "image_url_refused", "imageUrl of task " + publicId
                    + ": not an http(s) URL (expected: the upstream to report an http or https image URL)");
        }
        guard.refusal(url).ifPresent(expected -> {
            throw new GatewayException(502, ErrorKind.UPSTREAM, "image_url_refused", "imageUrl of task " + publicId
                    + " (expected: " + expected + ")");
        });
        return new Source(task, url);
    }
}
