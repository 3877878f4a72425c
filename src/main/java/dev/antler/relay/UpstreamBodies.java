package dev.antler.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.List;

/** Sends an {@link UpstreamRequest.Body}: bytes at once, file pieces streamed from disk with back-pressure. */
final class UpstreamBodies {

    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private UpstreamBodies() {}

    static Future<HttpClientResponse> send(Vertx vertx, HttpClientRequest request, UpstreamRequest.Body body) {
        return switch (body) {
            // Wrapped, not copied: a large JSON body is in memory once, not once more per attempt.
            case UpstreamRequest.Bytes bytes -> request.send(Buffers.wrap(bytes.bytes()));
            case UpstreamRequest.Empty empty -> request.send();
            case UpstreamRequest.FilePieces pieces -> {
                request.putHeader("Content-Length", Long.toString(pieces.length()));
                // Hand out the response future now, as send() does: chained after end(), a quick answer
                // could be over before anyone listens to its body. A failed upload abandons the request.
                writePieces(vertx, request, pieces, 0)
                        .compose(v -> request.end())
                        .onFailure(failure -> request.reset(0, failure));
                yield request.response();
            }
        };
    }

    private static Future<Void> writePieces(Vertx vertx, HttpClientRequest request, UpstreamRequest.FilePieces body,
                                            int index) {
        List<UpstreamRequest.Piece> pieces = body.pieces();
        if (index == pieces.size()) {
            return Future.succeededFuture();
        }
        Future<Void> written = switch (pieces.get(index)) {
            case UpstreamRequest.Literal literal -> request.write(Buffers.wrap(literal.bytes()));
            case UpstreamRequest.FileRange range -> vertx.fileSystem()
                    .open(body.file().toString(), new OpenOptions().setRead(true))
                    .compose(file -> pipeRange(file, range, request));
        };
        return written.compose(v -> writePieces(vertx, request, body, index + 1));
    }

    private static Future<Void> pipeRange(AsyncFile file, UpstreamRequest.FileRange range, HttpClientRequest request) {
        // 64 KiB reads: each read is a trip to a worker thread, and the 8 KiB default made a 10 MB upload
        // spend most of its time on those trips.
        file.setReadBufferSize(READ_BUFFER_BYTES).setReadPos(range.start()).setReadLength(range.length());
        return file.pipe().endOnSuccess(false).to(request).eventually(file::close);
    }
}
