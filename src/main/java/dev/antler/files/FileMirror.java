package dev.antler.files;

import static java.util.Objects.requireNonNull;

import dev.antler.relay.ClientRequest;
import dev.antler.security.BaseUrlGuard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Copies a file from a URL into the {@link FileStore}, streamed to a local partial file within a size and a time
 * limit (one pair for images, a larger one for videos), then stored whole: a result image under an unguessable
 * name, served at a stable gateway URL ({@code <public base>/files/<name>}); a copy kept for an owner under its key
 * (see {@link FileNames#keyedName}), fetched with the request headers given (the channel's key) and served by its
 * owner's own route.
 */
public final class FileMirror {

    /** The largest file a download keeps, and the longest it may take (connecting, idle, and in all). */
    public record Limit(long maxBytes, long timeoutMs) {}

    /** The file is larger than the limit: asking again would give the same answer. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final FileStore store;
    private final Limit images;
    private final Limit videos;
    private final String publicBaseUrl;
    private final BaseUrlGuard guard;

    /** @param publicBaseUrl the gateway's external base URL; null: taken from each request's Host header */
    public FileMirror(Vertx vertx, HttpClient client, FileStore store, Limit images, Limit videos,
                      String publicBaseUrl, BaseUrlGuard guard) {
        this.guard = requireNonNull(guard, "guard");
        this.vertx = requireNonNull(vertx, "vertx");
        this.client = requireNonNull(client, "client");
        this.store = requireNonNull(store, "store");
        this.images = requireNonNull(images, "images");
        this.videos = requireNonNull(videos, "videos");
        this.publicBaseUrl = publicBaseUrl == null ? null : strip(publicBaseUrl);
    }

    public FileStore store() {
        return store;
    }

    /** The limits of an image copy. */
    public Limit images() {
        return images;
    }

    /** The limits of a video copy. */
    public Limit videos() {
        return videos;
    }

    /** The base of the gateway URLs handed to the client of {@code request}. */
    public String publicBase(ClientRequest request) {
        if (publicBaseUrl != null) {
            return publicBaseUrl;
        }
        String host = request.headers().get("Host");
        if (host == null || host.isBlank()) {
            host = request.authority() == null ? "localhost" : request.authority();
        }
        String forwarded = request.headers().get("X-Forwarded-Proto");
        String scheme = forwarded != null && forwarded.equalsIgnoreCase("https") || request.scheme().equals("https")
                ? "https" : "http";
        return scheme + "://" + host.strip();
    }

    public static String publicUrl(String base, String name) {
        return base + "/files/" + name;
    }

    /** Downloads the image at {@code url}; the stored file's unguessable name, or a failure saying why. */
    public Future<String> download(String url) {
        return download(url, Map.of(), images, FileNames::newName).map(FileStore.Stored::name);
    }

    /**
     * Copies {@code url}, asked with {@code headers}, into the copy kept under {@code key} (replacing an older one)
     * within {@code limit}; the stored file, or a failure saying why. Two copies of one key at once (say by two
     * instances) each write their own partial file: the one stored last replaces the other, both whole.
     */
    public Future<FileStore.Stored> copy(String url, Map<String, String> headers, String key, Limit limit) {
        FileNames.keyedName(key, null); // checks the key before anything is fetched
        return download(url, headers, limit, type -> FileNames.keyedName(key, type));
    }

    private Future<FileStore.Stored> download(String url, Map<String, String> headers, Limit limit,
                                                Function<String, String> naming) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture("not a URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            return Future.failedFuture("not an http(s) URL");
        }
        // An upstream answer names the URL: never fetch from the gateway's own network unless allowed.
        return vertx.executeBlocking(() -> guard.refusal(url))
                .compose(refusal -> refusal.isPresent() ? Future.failedFuture("url refused: host not public")
                        : fetch(url, headers, limit, naming));
    }

    private Future<FileStore.Stored> fetch(String url, Map<String, String> headers, Limit limit,
                                             Function<String, String> naming) {
        long timeoutMs = limit.timeoutMs();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs);
        headers.forEach(options::putHeader);
        Promise<FileStore.Stored> done = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, t -> done.tryFail("timed out after " + timeoutMs + " ms"));
        client.request(options)
                .compose(request -> {
                    done.future().onFailure(e -> request.reset());
                    return request.send();
                })
                .onFailure(e -> done.tryFail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()))
                .onSuccess(response -> store(response, limit.maxBytes(), naming, done));
        return done.future().eventually(() -> {
            vertx.cancelTimer(timer);
            return Future.succeededFuture();
        });
    }

    private void store(HttpClientResponse response, long maxBytes, Function<String, String> naming,
                       Promise<FileStore.Stored> done) {
        response.exceptionHandler(e -> done.tryFail("download broke off: " + e.getMessage())); // after a reset the reason is already given
        if (response.statusCode() != 200) {
            done.tryFail("HTTP " + response.statusCode());
            response.request().reset();
            return;
        }
        String length = response.getHeader("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBytes) {
            done.tryFail(new TooLarge(length + " bytes (expected: at most " + maxBytes + ")"));
            response.request().reset();
            return;
        }
        response.pause();
        String name = naming.apply(response.getHeader("Content-Type"));
        // A partial left by a stop is deleted by the retention sweep: its copy is simply made again.
        Path partial = store.partial(name);
        vertx.fileSystem().open(partial.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                .onFailure(e -> {
                    done.tryFail("cannot write the mirror directory: " + e.getMessage());
                    response.request().reset();
                })
                .onSuccess(file -> write(response, file, partial, name, maxBytes, done));
    }

    private void write(HttpClientResponse response, AsyncFile file, Path partial, String name, long maxBytes,
                       Promise<FileStore.Stored> done) {
        long[] size = {0};
        done.future().onFailure(e -> file.close().onComplete(v -> deletePartial(partial)));
        response.handler(chunk -> {
            size[0] += chunk.length();
            if (size[0] > maxBytes) {
                done.tryFail(new TooLarge("more than " + maxBytes + " bytes"));
                response.request().reset();
                return;
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
                response.pause();
                file.drainHandler(v -> response.resume());
            }
        });
        response.exceptionHandler(e -> done.tryFail("download broke off: " + e.getMessage()));
        response.endHandler(v -> file.close().onComplete(closed -> {
            if (done.future().isComplete()) {
                return;
            }
            store.store(partial, name).onSuccess(done::tryComplete).onFailure(e -> done.tryFail(e.getMessage()));
        }));
        response.resume();
    }

    private void deletePartial(Path partial) {
        try {
            java.nio.file.Files.deleteIfExists(partial);
        } catch (IOException ignored) {
            // swept with the other expired files
        }
    }

    private static String strip(String base) {
        String b = base;
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return b;
    }
}
