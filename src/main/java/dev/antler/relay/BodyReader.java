package dev.antler.relay;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.limits.BodyBudget;
import dev.antler.limits.BodyLimits;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a client's request body within the size limit: JSON into memory, multipart to a spool file
 * ({@link SpoolingReader}), so memory does not grow with the upload. Bodies in memory
 * are counted in the in-flight budget (the declared length up front, else chunk by chunk) and refused
 * with 503 past it; a body that pauses longer than the idle timeout is refused with 408.
 */
public final class BodyReader {

    private BodyReader() {}

    /**
     * Reads the body of {@code request} (paused, its head checked). On failure everything the read reserved
     * or wrote is freed; on success the body holds it until {@link RequestBody#discard()}.
     */
    public static Future<RequestBody> read(Vertx vertx, HttpServerRequest request, Operation.BodyKind kind,
                                           BodyLimits limits, Path spoolDirectory) {
        try {
            return switch (kind) {
                case NONE -> Future.succeededFuture(new RequestBody.None());
                case JSON -> inMemory(vertx, request, limits);
                case MULTIPART -> SpoolingReader.read(vertx, request, limits, spoolDirectory);
            };
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * The {@code Content-Length} the client declared, or -1 when it sent none; a 413 when it is over
     * {@code limit}, a 400 when it is not a number.
     */
    public static long declaredLength(HttpServerRequest request, long limit) {
        String declared = request.getHeader("Content-Length");
        if (declared == null) {
            return -1;
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0) {
            throw GatewayException.badRequest("invalid_content_length", "Content-Length: " + declared
                    + " (expected: a number of bytes)");
        }
        if (length > limit) {
            throw tooLarge(limit);
        }
        return length;
    }

    static GatewayException tooLarge(long limit) {
        return GatewayException.tooLarge("request body: larger than " + limit + " bytes (expected: <= " + limit
                + " bytes; the operator sets server.max_json_bytes for JSON, server.max_body_bytes for uploads)");
    }

    static GatewayException idle(long idleMs) {
        return new GatewayException(408, ErrorKind.INVALID_REQUEST, "request_timeout", "request body: no bytes for "
                + idleMs + " ms (expected: a body sent without pausing longer; server.body_read_idle_timeout_ms)");
    }

    /** A body that broke off: the client is gone (nobody to answer), or it sent bad framing. */
    static GatewayException broken(Throwable cause) {
        return new GatewayException(400, ErrorKind.INVALID_REQUEST, "incomplete_body", "request body: broke off ("
                + cause.getClass().getSimpleName() + ") (expected: the whole body as declared)",
                GatewayException.Retry.NOT_RETRYABLE, cause);
    }

    private static Future<RequestBody> inMemory(Vertx vertx, HttpServerRequest request, BodyLimits limits) {
        long limit = limits.max(Operation.BodyKind.JSON);
        long declared = declaredLength(request, limit);
        BodyBudget.Lease lease = limits.inflight().lease();
        if (declared > 0 && !lease.reserveUpTo(declared)) {
            throw limits.inflight().exhausted(declared);
        }
        Promise<RequestBody> promise = Promise.promise();
        BodyBytes body = new BodyBytes(declared, limit);
        BodyIdleWatch watch = BodyIdleWatch.unarmed(vertx, limits.idleTimeoutMs(), () -> {
            request.pause();
            promise.tryFail(idle(limits.idleTimeoutMs()));
        });
        request.handler(chunk -> {
            watch.progress();
            if (body.length() + (long) chunk.length() > limit) {
                request.pause();
                promise.tryFail(tooLarge(limit));
            } else if (!lease.reserveUpTo(body.capacityFor(chunk.length()))) {
                request.pause();
                promise.tryFail(limits.inflight().exhausted(chunk.length()));
            } else {
                body.append(chunk);
            }
        });
        request.exceptionHandler(e -> promise.tryFail(broken(e)));
        request.endHandler(v -> {
            if (!promise.future().isComplete()) {
                promise.complete(new RequestBody.InMemory(body.toArray(), lease));
            }
        });
        request.resume();
        if (!promise.future().isComplete()) {
            watch.arm(); // a body that came in with its head (most JSON) was read by resume(): no timer for it
        }
        return promise.future().onComplete(done -> {
            watch.stop();
            if (done.failed()) {
                lease.release();
            }
        });
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
            // a leftover spool file is removed at the next start
        }
    }
}
