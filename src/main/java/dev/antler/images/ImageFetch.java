package dev.antler.images;

import static java.util.Objects.requireNonNull;

import dev.antler.security.BaseUrlGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Fetches a result image an upstream linked to, for an answer that wants its bytes ({@code b64_json}): public http(s)
 * hosts only (the guard), within a size and a time limit.
 */
public final class ImageFetch {

    /** The largest image read into an answer. */
    static final long MAX_BYTES = 32L * 1024 * 1024;
    private static final long TIMEOUT_MS = 60_000;

    private final Vertx vertx;
    private final HttpClient client;
    private final BaseUrlGuard guard;

    public ImageFetch(Vertx vertx, HttpClient client, BaseUrlGuard guard) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.client = requireNonNull(client, "client");
        this.guard = requireNonNull(guard, "guard");
    }

    /** The bytes at {@code url}, or a failure saying why. */
    Future<byte[]> bytes(String url) {
        return bytes(url, java.util.Map.of());
    }

    /** The bytes at {@code url} asked with {@code headers} (a channel key), or a failure saying why. */
    Future<byte[]> bytes(String url, java.util.Map<String, String> headers) {
        if (url == null || !url.matches("(?i)https?://.+")) {
            return Future.failedFuture("not an http(s) URL");
        }
        return vertx.executeBlocking(() -> guard.refusal(url)).compose(refusal -> refusal.isPresent()
                ? Future.failedFuture("url refused: host not public") : get(url, headers));
    }

    private Future<byte[]> get(String url, java.util.Map<String, String> headers) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setConnectTimeout(TIMEOUT_MS).setIdleTimeout(TIMEOUT_MS);
        headers.forEach(options::putHeader);
        return client.request(options).compose(request -> request.send()).compose(response -> {
            if (response.statusCode() != 200) {
                response.end();
                return Future.failedFuture("upstream HTTP " + response.statusCode());
            }
            String length = response.getHeader("Content-Length");
            if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BYTES) {
                response.request().reset();
                return Future.failedFuture("image larger than " + MAX_BYTES + " bytes");
            }
            Buffer body = Buffer.buffer();
            io.vertx.core.Promise<byte[]> done = io.vertx.core.Promise.promise();
            response.handler(chunk -> {
                if (body.length() + chunk.length() > MAX_BYTES) {
                    response.request().reset();
                    done.tryFail("image larger than " + MAX_BYTES + " bytes");
                } else {
                    body.appendBuffer(chunk);
                }
            });
            response.exceptionHandler(e -> done.tryFail(e.toString()));
            response.endHandler(v -> done.tryComplete(body.getBytes()));
            return done.future();
        });
    }
}
