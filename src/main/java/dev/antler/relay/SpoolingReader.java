package dev.antler.relay;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.limits.BodyBudget;
import dev.antler.limits.BodyLimits;
import dev.antler.multipart.MultipartException;
import dev.antler.multipart.MultipartScanner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a multipart body to a spool file while the scanner reads its text fields, so memory does not grow
 * with the upload: only the spool buffer, counted in the in-flight budget while the file is written.
 */
final class SpoolingReader {

    private static final int SPOOL_WRITE_BYTES = 256 * 1024;
    /** What a multipart read holds in memory at most: its spool buffer, filled up to one chunk past the write size. */
    private static final long SPOOL_MEMORY_BYTES = SPOOL_WRITE_BYTES + 64 * 1024;

    private SpoolingReader() {}

    /** As {@link BodyReader#read}: on failure the spool file is deleted and the reservation returned. */
    static Future<RequestBody> read(Vertx vertx, HttpServerRequest request, BodyLimits limits, Path directory) {
        long limit = limits.max(Operation.BodyKind.MULTIPART);
        BodyReader.declaredLength(request, limit);
        String contentType = request.getHeader("Content-Type");
        String boundary = MultipartScanner.boundaryOf(contentType == null ? "" : contentType).orElseThrow(
                () -> new GatewayException(415, ErrorKind.INVALID_REQUEST, "unsupported_content_type",
                        "Content-Type: " + contentType + " (expected: multipart/form-data with a boundary)"));
        MultipartScanner scanner;
        try {
            scanner = new MultipartScanner(boundary, dev.antler.multipart.Limits.defaults());
        } catch (MultipartException e) {
            throw GatewayException.badRequest("invalid_multipart", e.getMessage());
        }
        BodyBudget.Lease lease = limits.inflight().lease();
        if (!lease.reserveUpTo(SPOOL_MEMORY_BYTES)) {
            throw limits.inflight().exhausted(SPOOL_MEMORY_BYTES);
        }
        // Created only once the request is known to be readable: every refusal above leaves no file behind.
        Path file;
        try {
            Files.createDirectories(directory);
            file = Files.createTempFile(directory, "upload-", ".part");
        } catch (java.io.IOException e) {
            lease.release();
            throw new IllegalStateException("spool directory: " + directory + " (expected: writable)", e);
        }
        Promise<RequestBody> promise = Promise.promise();
        BodyIdleWatch watch = BodyIdleWatch.start(vertx, limits.idleTimeoutMs(), () -> {
            request.pause();
            promise.tryFail(BodyReader.idle(limits.idleTimeoutMs()));
        });
        vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                .onFailure(promise::tryFail)
                .onSuccess(out -> {
                    promise.future().onFailure(e -> closeQuietly(out));
                    pump(request, out, scanner, limit, file, contentType, watch, promise);
                });
        // The spool buffer is freed once the file is written: the spooled body holds no memory to count.
        return promise.future().onComplete(done -> {
            watch.stop();
            lease.release();
            if (done.failed()) {
                BodyReader.deleteQuietly(file);
            }
        });
    }

    private static void pump(HttpServerRequest request, AsyncFile out, MultipartScanner scanner, long limit, Path file,
                             String contentType, BodyIdleWatch watch, Promise<RequestBody> promise) {
        long[] size = {0};
        // Chunks are gathered and written in large pieces: every file write is a trip to a worker thread.
        Buffer[] spool = {Buffer.buffer((int) SPOOL_MEMORY_BYTES)};
        request.handler(chunk -> {
            watch.progress();
            size[0] += chunk.length();
            if (size[0] > limit) {
                request.pause();
                promise.tryFail(BodyReader.tooLarge(limit));
                return;
            }
            try {
                byte[] bytes = chunk.getBytes();
                scanner.feed(bytes, 0, bytes.length);
            } catch (MultipartException e) {
                request.pause();
                promise.tryFail(GatewayException.badRequest("invalid_multipart", e.getMessage()));
                return;
            }
            spool[0].appendBuffer(chunk);
            if (spool[0].length() >= SPOOL_WRITE_BYTES) {
                out.write(spool[0]);
                spool[0] = Buffer.buffer((int) SPOOL_MEMORY_BYTES);
                if (out.writeQueueFull()) {
                    request.pause();
                    out.drainHandler(v -> request.resume());
                }
            }
        });
        request.exceptionHandler(e -> promise.tryFail(BodyReader.broken(e)));
        request.endHandler(v -> {
            try {
                scanner.finish();
            } catch (MultipartException e) {
                promise.tryFail(GatewayException.badRequest("invalid_multipart", e.getMessage()));
                return;
            }
            if (spool[0].length() > 0) {
                out.write(spool[0]);
            }
            out.close().onComplete(closed -> {
                if (closed.failed()) {
                    promise.tryFail(closed.cause());
                } else {
                    promise.tryComplete(new RequestBody.Spooled(file, size[0], contentType, scanner));
                }
            });
        });
        request.resume();
    }

    private static void closeQuietly(AsyncFile out) {
        try {
            out.close();
        } catch (IllegalStateException alreadyClosed) {
            // closed by the end of the read, which then failed
        }
    }

}
