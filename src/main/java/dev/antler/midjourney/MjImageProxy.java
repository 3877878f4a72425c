package dev.antler.midjourney;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

/**
 * Streams a task's result image from where the upstream keeps it to the client, chunk by chunk with
 * back-pressure: memory stays flat whatever the image size. The image may be at most {@code maxBytes}
 * (refused up front when the upstream declares a larger length, cut off when it sends more) and must arrive
 * within {@code timeoutMs} in all. No channel secret and no client header is sent to the image host.
 */
final class MjImageProxy {

    /** How a relay ended: bytes sent and the end reason of the usage log (complete, client_gone, ...). */
    record Outcome(long bytes, String endReason) {}

    private final Vertx vertx;
    private final HttpClient client;
    private final long maxBytes;
    private final long timeoutMs;

    MjImageProxy(Vertx vertx, HttpClient client, long maxBytes, long timeoutMs) {
        this.vertx = vertx;
        this.client = client;
        this.maxBytes = maxBytes;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Relays {@code url} to {@code out}; call on an event loop. Fails (before anything was sent) with a
     * GatewayException the caller renders; once the answer has begun, a failure resets the client's stream.
     */
    Future<Outcome> relay(String url, String taskId, HttpServerResponse out) {
        Promise<Outcome> done = Promise.promise();
        long[] sent = {0};
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setConnectTimeout(Math.min(timeoutMs, 10_000)).setIdleTimeout(timeoutMs);
        client.request(options).onFailure(e -> done.tryFail(unreachable(taskId, e))).onSuccess(request -> {
            long timer = vertx.setTimer(timeoutMs, id -> {
                if (done.tryFail(new GatewayException(504, ErrorKind.UPSTREAM, "image_timeout", "image of task "
                        + taskId + ": not received within " + timeoutMs + " ms (expected: tasks.image_timeout_ms)"))) {
                    request.reset();
                    resetIfStarted(out);
                }
            });
            done.future().onComplete(r -> vertx.cancelTimer(timer));
            out.closeHandler(v -> {
                if (done.tryComplete(new Outcome(sent[0], "client_gone"))) {
                    request.reset();
                }
            });
            request.send().onFailure(e -> {
                if (done.tryFail(unreachable(taskId, e))) {
                    resetIfStarted(out);
                }
            }).onSuccess(response -> stream(response, taskId, out, sent, done));
        });
        return done.future();
    }

    private void stream(HttpClientResponse response, String taskId, HttpServerResponse out, long[] sent,
                        Promise<Outcome> done) {
        response.exceptionHandler(e -> {
            if (!out.headWritten()) {
                done.tryFail(unreachable(taskId, e));
            } else if (done.tryComplete(new Outcome(sent[0], "upstream_cut"))) {
                resetIfStarted(out);
            }
        });
        // Decide the outcome before resetting: the reset reaches the exception handler above at once.
        if (response.statusCode() != 200) {
            done.tryFail(GatewayException.notFound("image_not_found", "id: " + taskId
                    + ": the image host answered HTTP " + response.statusCode() + " (expected: 200)"));
            response.request().reset();
            return;
        }
        String declared = response.getHeader("Content-Length");
        long length = declared == null ? -1 : parseLength(declared);
        if (length > maxBytes) {
            done.tryFail(tooLarge(taskId, length + " bytes declared"));
            response.request().reset();
            return;
        }
        String type = response.getHeader("Content-Type");
        // Headers go out with the first byte, so a failure before it still gets the family's error answer.
        Runnable begin = () -> {
            if (out.headWritten()) {
                return;
            }
            // Only image types are served from the gateway's origin: an HTML answer must not run as our page.
            out.setStatusCode(200)
                    .putHeader("Content-Type", type != null && type.startsWith("image/") ? type
                            : "application/octet-stream")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Cache-Control", "private, max-age=86400");
            if (length >= 0) {
                out.putHeader("Content-Length", Long.toString(length));
            } else {
                out.setChunked(true);
            }
        };
        response.handler(chunk -> {
            sent[0] += chunk.length();
            if (sent[0] > maxBytes) {
                if (done.tryFail(tooLarge(taskId, "more than " + maxBytes + " bytes sent"))) {
                    response.request().reset();
                    resetIfStarted(out);
                }
                return;
            }
            if (done.future().isComplete()) {
                return;
            }
            begin.run();
            out.write(chunk);
            if (out.writeQueueFull()) {
                response.pause();
                out.drainHandler(v -> response.resume());
            }
        });
        response.endHandler(v -> {
            if (!done.future().isComplete()) {
                begin.run();
                out.end();
                done.tryComplete(new Outcome(sent[0], "complete"));
            }
        });
    }

    private static void resetIfStarted(HttpServerResponse out) {
        if (!out.ended() && !out.closed() && out.headWritten()) {
            out.reset();
        }
    }

    private GatewayException tooLarge(String taskId, String what) {
        return new GatewayException(502, ErrorKind.UPSTREAM, "image_too_large", "image of task " + taskId + ": "
                + what + " (expected: at most " + maxBytes + " bytes, tasks.image_max_bytes)");
    }

    private static GatewayException unreachable(String taskId, Throwable e) {
        return new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable", "image of task " + taskId
                + ": the image host did not answer (" + e.getClass().getSimpleName() + ")");
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
