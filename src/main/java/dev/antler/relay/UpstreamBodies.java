package dev.antler.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes an upstream request to its connection: a body of bytes in one write with its head; a body of file pieces
 * (a spooled upload) read from disk as the connection takes it — a piece of at most 64 KiB at a time while the
 * connection is writable, the rest when it is again ({@link FileBody#resume}).
 */
final class UpstreamBodies {

    private static final int READ_BYTES = 64 * 1024;

    private UpstreamBodies() {}

    /**
     * Writes {@code head} and a body of bytes; for a body of file pieces, writes the head and returns the body for the
     * caller to start ({@link FileBody#resume}), else null (failures of the writes reach the pipeline: the connection
     * closes).
     */
    static FileBody write(Channel channel, HttpMethod method, String uri, HttpHeaders headers,
                          UpstreamRequest.Body body, Consumer<Throwable> failed) {
        return switch (body) {
            case UpstreamRequest.Bytes bytes -> {
                // Wrapped, not copied: a large JSON body is in memory once, not once more per attempt.
                headers.set(HttpHeaderNames.CONTENT_LENGTH, bytes.bytes().length);
                channel.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                        Unpooled.wrappedBuffer(bytes.bytes()), headers, EmptyHttpHeaders.INSTANCE), channel.voidPromise());
                yield null;
            }
            case UpstreamRequest.Empty empty -> {
                if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
                    headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
                }
                channel.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                        Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE), channel.voidPromise());
                yield null;
            }
            case UpstreamRequest.FilePieces pieces -> {
                headers.set(HttpHeaderNames.CONTENT_LENGTH, pieces.length());
                channel.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, headers), channel.voidPromise());
                yield new FileBody(channel, pieces, failed);
            }
        };
    }

    /** A body of file pieces being written: each piece in turn, file ranges read as the connection drains. */
    static final class FileBody {

        private final Channel channel;
        private final UpstreamRequest.FilePieces body;
        private final Consumer<Throwable> failed;
        private FileChannel file;
        private int piece;
        /** How far into the current piece (a file range) the writes got. */
        private long offset;
        private boolean done;
        /** Inside {@link #resume}. */
        private boolean writing;

        private FileBody(Channel channel, UpstreamRequest.FilePieces body, Consumer<Throwable> failed) {
            this.channel = channel;
            this.body = body;
            this.failed = failed;
        }

        boolean done() {
            return done;
        }

        /**
         * Writes on while the connection takes it; called again when it is writable again. A flush may tell of the
         * connection's writability at once, from inside this method: that call is ignored, and the loop looks again.
         */
        void resume() {
            if (done || writing) {
                return;
            }
            writing = true;
            try {
                List<UpstreamRequest.Piece> pieces = body.pieces();
                while (true) {
                    while (piece < pieces.size() && channel.isWritable()) {
                        switch (pieces.get(piece)) {
                            case UpstreamRequest.Literal literal -> {
                                channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(literal.bytes())),
                                        channel.voidPromise());
                                piece++;
                            }
                            case UpstreamRequest.FileRange range -> writeSome(range);
                        }
                    }
                    if (piece == pieces.size()) {
                        close();
                        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
                        return;
                    }
                    channel.flush();
                    if (!channel.isWritable()) {
                        return; // the connection tells when it drained
                    }
                }
            } catch (IOException | RuntimeException e) {
                close();
                failed.accept(e);
            } finally {
                writing = false;
            }
        }

        /**
         * One read of at most 64 KiB of {@code range}. Spooled uploads were just written, so the read comes from the
         * page cache; it is made on the event loop rather than handed to a worker thread and back per piece.
         */
        private void writeSome(UpstreamRequest.FileRange range) throws IOException {
            if (file == null) {
                file = FileChannel.open(body.file(), StandardOpenOption.READ);
            }
            int length = (int) Math.min(READ_BYTES, range.length() - offset);
            ByteBuf read = channel.alloc().ioBuffer(length);
            try {
                while (read.isWritable()) {
                    if (read.writeBytes(file, range.start() + offset + read.readableBytes(), read.writableBytes()) < 0) {
                        throw new IOException("spooled upload " + body.file() + " ends before its range " + range);
                    }
                }
            } catch (IOException | RuntimeException e) {
                read.release();
                throw e;
            }
            offset += length;
            channel.write(new DefaultHttpContent(read), channel.voidPromise());
            if (offset == range.length()) {
                piece++;
                offset = 0;
            }
        }

        /** Stops: the request ended otherwise (reset, or the connection closed). */
        void close() {
            done = true;
            if (file != null) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // read-only: nothing is lost
                }
                file = null;
            }
        }
    }
}
