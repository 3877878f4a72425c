package dev.antler.relay;

import dev.antler.core.GatewayException;
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
 * Reads a client's request body within the size limit: JSON into memory, multipart to a spool file
 * while the scanner reads its text fields, so memory does not grow with the upload.
 */
public final class BodyReader {

    private static final int SPOOL_WRITE_BYTES = 256 * 1024;

    private BodyReader() {}

    public static Future<RequestBody> read(Vertx vertx, HttpServerRequest request, Operation.BodyKind kind, long limit,
                                    Path spoolDirectory) {
        return switch (kind) {
            case NONE -> Future.succeededFuture(new RequestBody.None());
            case JSON -> inMemory(request, limit);
            case MULTIPART -> spooled(vertx, request, limit, spoolDirectory);
        };
    }

    static GatewayException tooLarge(long limit) {
        return GatewayException.tooLarge("request body: larger than " + limit + " bytes (expected: <= " + limit
                + " bytes; the operator sets server.max_json_bytes for JSON, server.max_body_bytes for uploads)");
    }

    private static Future<RequestBody> inMemory(HttpServerRequest request, long limit) {
        Promise<RequestBody> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + (long) chunk.length() > limit) {
                request.pause();
                promise.tryFail(tooLarge(limit));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(promise::tryFail);
        request.endHandler(v -> promise.tryComplete(new RequestBody.InMemory(body)));
        request.resume();
        return promise.future();
    }

    private static Future<RequestBody> spooled(Vertx vertx, HttpServerRequest request, long limit, Path directory) {
        String contentType = request.getHeader("Content-Type");
        String boundary = MultipartScanner.boundaryOf(contentType == null ? "" : contentType).orElseThrow(
                () -> new GatewayException(415, dev.antler.core.ErrorKind.INVALID_REQUEST, "unsupported_content_type",
                        "Content-Type: " + contentType + " (expected: multipart/form-data with a boundary)"));
        MultipartScanner scanner;
        try {
            scanner = new MultipartScanner(boundary, dev.antler.multipart.Limits.defaults());
        } catch (MultipartException e) {
            throw GatewayException.badRequest("invalid_multipart", e.getMessage());
        }
        // Created only once the request is known to be readable: every refusal above leaves no file behind.
        Path file;
        try {
            Files.createDirectories(directory);
            file = Files.createTempFile(directory, "upload-", ".part");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("spool directory: " + directory + " (expected: writable)", e);
        }
        Promise<RequestBody> promise = Promise.promise();
        vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                .onFailure(promise::tryFail)
                .onSuccess(out -> pump(request, out, scanner, limit, file, contentType, promise));
        return promise.future().onFailure(e -> deleteQuietly(file));
    }

    private static void pump(HttpServerRequest request, AsyncFile out, MultipartScanner scanner, long limit, Path file,
                             String contentType, Promise<RequestBody> promise) {
        long[] size = {0};
        // Chunks are gathered and written in large pieces: every file write is a trip to a worker thread.
        Buffer[] spool = {Buffer.buffer(SPOOL_WRITE_BYTES + 64 * 1024)};
        request.handler(chunk -> {
            size[0] += chunk.length();
            if (size[0] > limit) {
                request.pause();
                out.close();
                promise.tryFail(tooLarge(limit));
                return;
            }
            try {
                byte[] bytes = chunk.getBytes();
                scanner.feed(bytes, 0, bytes.length);
            } catch (MultipartException e) {
                request.pause();
                out.close();
                promise.tryFail(GatewayException.badRequest("invalid_multipart", e.getMessage()));
                return;
            }
            spool[0].appendBuffer(chunk);
            if (spool[0].length() >= SPOOL_WRITE_BYTES) {
                out.write(spool[0]);
                spool[0] = Buffer.buffer(SPOOL_WRITE_BYTES + 64 * 1024);
                if (out.writeQueueFull()) {
                    request.pause();
                    out.drainHandler(v -> request.resume());
                }
            }
        });
        request.exceptionHandler(e -> {
            out.close();
            promise.tryFail(e);
        });
        request.endHandler(v -> {
            try {
                scanner.finish();
            } catch (MultipartException e) {
                out.close();
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

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
            // a leftover spool file is removed at the next start
        }
    }
}
