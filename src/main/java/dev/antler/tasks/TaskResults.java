package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.files.FileMirror;
import dev.antler.files.FileSender;
import dev.antler.files.FileStore;
import dev.antler.http.Exchange;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.security.BaseUrlGuard;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;

/**
 * Completed tasks' result files, served under the gateway's own links: the families' {@link ResultFiles}
 * registered here, their copies ({@link ResultCopies}, started when a task succeeds, mirroring on) and the
 * {@code GET|HEAD /results/{task_id}/{token}/{n}} route ({@link ResultLinks}; a wrong token is a 404 like an
 * unknown task). A result is sent from the gateway's copy with Range when one is kept; otherwise it is streamed
 * from the upstream through the gateway — the guard checked first, a {@code Range} passed through, piped with
 * back-pressure, only the content headers forwarded, never a redirect: the upstream's host, key and other
 * headers never reach the client — and a copy not kept yet is started again.
 */
public final class TaskResults {

    private static final Set<String> FORWARDED = Set.of("Content-Type", "Content-Length", "Content-Range",
            "Accept-Ranges", "Last-Modified", "ETag");

    /**
     * What serving and copying results needs from the gateway.
     *
     * @param mirror null: mirroring is off
     */
    public record Io(Vertx vertx, HttpClient client, FileMirror mirror, ExecutorService blocking,
                     BaseUrlGuard guard) {

        public Io {
            requireNonNull(vertx, "vertx");
            requireNonNull(client, "client");
            requireNonNull(blocking, "blocking");
            requireNonNull(guard, "guard");
        }
    }

    /** Turns an upstream's refusal of a result (its status and body) into the error answered. */
    public interface Refusal extends BiFunction<Integer, byte[], GatewayException> {}

    /** The task's result asked: the copy kept (or null) and the upstream's file (or null: none such). */
    private record Found(Task task, int n, FileStore.Stored copy, ResultFiles.ResultFile file) {}

    private final Map<String, ResultFiles> families = new ConcurrentHashMap<>();
    private final TaskStore store;
    private final ChannelRegistry channels;
    private final Io io;
    private final ResultCopies copies;

    TaskResults(TaskStore store, ChannelRegistry channels, Io io) {
        this.store = requireNonNull(store, "store");
        this.channels = requireNonNull(channels, "channels");
        this.io = requireNonNull(io, "io");
        this.copies = new ResultCopies(io.mirror());
    }

    /** {@code family}'s tasks have result files where {@code files} says. */
    public void register(String family, ResultFiles files) {
        if (families.putIfAbsent(requireNonNull(family, "family"), requireNonNull(files, "files")) != null) {
            throw new IllegalStateException("result files of family " + family + " registered twice");
        }
    }

    /** The link to result {@code n} of {@code task} on the base kept at submit, or null for none. */
    public String link(Task task, int n) {
        return ResultLinks.link(task, null, n);
    }

    /** The links to every result of {@code task} (completed), in order. Blocking (asks the family's files). */
    public List<String> links(Task task) {
        int count = files(task).size();
        return java.util.stream.IntStream.range(0, count).mapToObj(n -> link(task, n))
                .filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Where result {@code n} of {@code task} is: the gateway's copy, else the upstream's file (both null: no such
     * result). Blocking (looks at the store).
     */
    public Located locate(Task task, int n) {
        Found found = find(task, n);
        return new Located(found.copy(), found.file());
    }

    /** A result's place: the gateway's copy (read it with {@link #read}), or else the upstream's file. */
    public record Located(FileStore.Stored copy, ResultFiles.ResultFile file) {}

    /** The whole of a (small) copy, from the mirror's store. */
    public Future<byte[]> read(FileStore.Stored copy) {
        return copies.store().read(copy).map(Buffer::getBytes);
    }

    /** Whether results are copied to the gateway's store. */
    public boolean mirroring() {
        return copies.on();
    }

    /** The engine's word that {@code task} changed: a success's copies are started, off the caller's thread. */
    void changed(Task task) {
        if (task.status() == TaskStatus.SUCCESS && copies.on() && families.containsKey(task.family())) {
            io.blocking().execute(() -> copies.start(task, files(task)));
        }
    }

    private List<ResultFiles.ResultFile> files(Task task) {
        ResultFiles files = families.get(task.family());
        return files == null ? List.of() : files.files(task, channels.find(task.channelId()).orElse(null));
    }

    /** The route: {@code /results/{task_id}/{token}/{n}} (and a family's older alias with the same tail). */
    public void handle(Exchange ex, String prefix) {
        String[] parts = ex.request().path().substring(prefix.length()).split("/", -1);
        if (ex.request().method() != HttpMethod.GET && ex.request().method() != HttpMethod.HEAD) {
            ex.fail(new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", "method: "
                    + ex.request().method() + " (expected: GET or HEAD)"));
            return;
        }
        if (parts.length != 3 || !parts[2].matches("\\d{1,4}")) {
            ex.fail(notFound(ex));
            return;
        }
        int n = Integer.parseInt(parts[2]);
        ex.request().pause();
        blocking(() -> store.find(parts[0])
                .filter(t -> t.status() == TaskStatus.SUCCESS && ResultLinks.tokenMatches(t, parts[1]))
                .map(t -> find(t, n)).orElseThrow(() -> notFound(ex)))
                .onSuccess(found -> serve(ex, found, TaskResults::refusal))
                .onFailure(ex::fail);
    }

    /**
     * Answers {@code ex} with result {@code n} of {@code task} (the caller's, completed: a family route with its
     * own authentication), {@code refusal} making the error when the upstream no longer serves it.
     */
    public void serve(Exchange ex, Task task, int n, Refusal refusal) {
        ex.request().pause();
        blocking(() -> find(task, n)).onSuccess(found -> serve(ex, found, refusal)).onFailure(ex::fail);
    }

    private <T> Future<T> blocking(java.util.function.Supplier<T> work) {
        return Future.fromCompletionStage(CompletableFuture.supplyAsync(work, io.blocking()),
                io.vertx().getOrCreateContext());
    }

    /** Blocking: the copy kept, else the upstream's file (a copy of the task's files started again). */
    private Found find(Task task, int n) {
        FileStore.Stored copy = copies.find(task, n).orElse(null);
        if (copy != null) {
            return new Found(task, n, copy, null);
        }
        List<ResultFiles.ResultFile> files = files(task);
        if (n >= files.size()) {
            return new Found(task, n, null, null);
        }
        copies.start(task, files);
        return new Found(task, n, null, files.get(n));
    }

    private void serve(Exchange ex, Found found, Refusal refusal) {
        if (found.copy() != null) {
            FileSender.send(ex, copies.store(), found.copy());
            return;
        }
        ResultFiles.ResultFile file = found.file();
        if (file == null) {
            ex.fail(GatewayException.notFound("not_found", "result: " + found.n() + " of task "
                    + found.task().publicId() + " (expected: one of the results its answer links to)"));
            return;
        }
        if (!file.url().matches("(?i)https?://.+")) {
            ex.fail(new GatewayException(502, ErrorKind.UPSTREAM, "result_unavailable", "result: " + found.n()
                    + " of task " + found.task().publicId() + " (expected: an http(s) link from the upstream)"));
            return;
        }
        io.vertx().executeBlocking(() -> io.guard().refusal(file.url())).onComplete(checked -> {
            if (checked.failed() || checked.result().isPresent()) {
                ex.fail(new GatewayException(502, ErrorKind.UPSTREAM, "result_unavailable", "result: " + found.n()
                        + " of task " + found.task().publicId() + " (expected: a link to a public host)"));
            } else {
                stream(ex, found, file, refusal);
            }
        });
    }

    private void stream(Exchange ex, Found found, ResultFiles.ResultFile file, Refusal refusal) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        file.headers().forEach(headers::set);
        String range = ex.request().getHeader("Range");
        if (range != null) {
            headers.set("Range", range);
        }
        RequestOptions options = new RequestOptions()
                .setMethod(ex.request().method() == HttpMethod.HEAD ? HttpMethod.HEAD : HttpMethod.GET)
                .setAbsoluteURI(file.url()).setHeaders(headers).setConnectTimeout(30_000).setIdleTimeout(60_000);
        HttpServerResponse out = ex.response();
        io.client().request(options).compose(request -> request.send()).onSuccess(response -> {
            int status = response.statusCode();
            if (status == 200 || status == 206 || status == 416) {
                relay(response, out);
            } else {
                response.body().onComplete(body -> ex.fail(refusal.apply(status,
                        body.succeeded() ? body.result().getBytes() : new byte[0])));
            }
        }).onFailure(e -> ex.fail(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable",
                "result of task " + found.task().publicId() + ": the upstream did not answer ("
                        + e.getClass().getSimpleName() + ")")));
    }

    /** The default refusal: gone at the upstream (404, 403, 410) is a 410, anything else a 502. */
    private static GatewayException refusal(int status, byte[] body) {
        boolean gone = status == 404 || status == 403 || status == 410;
        return new GatewayException(gone ? 410 : 502, ErrorKind.UPSTREAM, gone ? "result_expired"
                : "result_unavailable", "result: upstream HTTP " + status + " (expected: a result within the "
                + "provider's retention, or mirror.enabled: true to keep the gateway's own copy)");
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
        response.pipeTo(out); // ends the client's answer with the upstream's; a broken side resets the other
    }

    private static GatewayException notFound(Exchange ex) {
        return GatewayException.notFound("not_found", "path: " + ex.request().path()
                + " (expected: a result link from a completed task's answer)");
    }
}
