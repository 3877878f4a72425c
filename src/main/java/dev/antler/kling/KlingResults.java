package dev.antler.kling;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.files.FileSender;
import dev.antler.http.Exchange;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET|HEAD /kling/results/{task_id}/{token}/{n}}: result {@code n} of a completed Kling task, to whoever
 * holds its link ({@link KlingLinks}; a wrong token is a 404 like an unknown task). With mirroring on and the copy
 * kept ({@link KlingCopies}) it is sent from disk with Range; otherwise it is streamed from Kling's URL through the
 * gateway (the guard checked first, a {@code Range} passed through, only the content headers forwarded — never a
 * redirect: Kling's host does not reach the client), and a copy not kept yet is started again.
 */
final class KlingResults {

    private static final Set<String> FORWARDED = Set.of("Content-Type", "Content-Length", "Content-Range",
            "Accept-Ranges", "Last-Modified", "ETag");

    /** The task and its result asked: the copy kept (or null) and Kling's URL. */
    private record Found(Task task, KlingCopies.Copy copy, String url) {}

    private final FamilyContext context;
    private final KlingCopies copies;

    KlingResults(FamilyContext context, KlingCopies copies) {
        this.context = requireNonNull(context, "context");
        this.copies = requireNonNull(copies, "copies");
    }

    void handle(Exchange ex) {
        String[] parts = ex.request().path().substring(KlingLinks.RESULTS.length()).split("/", -1);
        if (ex.request().method() != HttpMethod.GET && ex.request().method() != HttpMethod.HEAD) {
            ex.fail(new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", "method: "
                    + ex.request().method() + " (expected: GET or HEAD)"));
            return;
        }
        if (parts.length != 3 || !parts[2].matches("\\d{1,4}")) {
            ex.fail(notFound(ex));
            return;
        }
        ex.request().pause();
        Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> find(ex, parts[0], parts[1],
                        Integer.parseInt(parts[2])), context.blocking()),
                        context.relay().services().vertx().getOrCreateContext())
                .onSuccess(found -> serve(ex, found))
                .onFailure(ex::fail);
    }

    /** Blocking: the task (its token checked), the copy kept and Kling's URL, the guard applied to it. */
    private Found find(Exchange ex, String taskId, String token, int n) {
        Task task = context.tasks().store().find(taskId)
                .filter(t -> t.family().equals(KlingTasks.FAMILY) && t.status() == TaskStatus.SUCCESS
                        && KlingLinks.matches(t, "result_token", token))
                .orElseThrow(() -> notFound(ex));
        JsonNode items = KlingLinks.items(task);
        if (n >= items.size()) {
            throw notFound(ex);
        }
        KlingCopies.Copy copy = copies.find(task, n).orElse(null);
        if (copy != null) {
            return new Found(task, copy, null);
        }
        copies.start(task, task.payload());
        String url = items.path(n).path("url").asString("");
        if (!url.matches("(?i)https?://.+") || context.guard().refusal(url).isPresent()) {
            throw new GatewayException(502, ErrorKind.UPSTREAM, "result_unavailable", "result: " + n
                    + " of task " + taskId + " (expected: a public http(s) link from the upstream)");
        }
        return new Found(task, null, url);
    }

    private void serve(Exchange ex, Found found) {
        if (found.copy() != null) {
            FileSender.send(ex, found.copy().file(), found.copy().size(), found.copy().contentType());
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(ex.request().method()).setAbsoluteURI(found.url())
                .setConnectTimeout(30_000).setIdleTimeout(60_000);
        String range = ex.request().getHeader("Range");
        if (range != null) {
            options.putHeader("Range", range);
        }
        HttpServerResponse out = ex.response();
        context.relay().services().upstream().request(options).compose(request -> request.send())
                .onSuccess(response -> {
                    int status = response.statusCode();
                    if (status == 200 || status == 206 || status == 416) {
                        relay(response, out);
                    } else {
                        response.body().onComplete(ignored -> ex.fail(new GatewayException(status == 404
                                || status == 403 || status == 410 ? 410 : 502, ErrorKind.UPSTREAM,
                                "result_unavailable", "result of task " + found.task().publicId() + ": upstream "
                                + "HTTP " + status + " (expected: a result within Kling's retention, or "
                                + "mirror.enabled: true)")));
                    }
                })
                .onFailure(e -> ex.fail(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable",
                        "result of task " + found.task().publicId() + ": the upstream did not answer ("
                                + e.getClass().getSimpleName() + ")")));
    }

    /** The upstream's answer, its content headers only, piped to the client (paused while the client is slow). */
    private static void relay(HttpClientResponse response, HttpServerResponse out) {
        out.setStatusCode(response.statusCode());
        for (String name : FORWARDED) {
            String value = response.getHeader(name);
            if (value != null) {
                out.putHeader(name, value);
            }
        }
        if (response.getHeader("Content-Length") == null) {
            out.setChunked(true);
        }
        response.pipeTo(out);
    }

    private static GatewayException notFound(Exchange ex) {
        return GatewayException.notFound("not_found", "path: " + ex.request().path()
                + " (expected: a result link from a completed Kling task's answer)");
    }
}
