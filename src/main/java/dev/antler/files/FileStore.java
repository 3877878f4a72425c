package dev.antler.files;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the gateway keeps the files it mirrors for its users ({@link FileNames} says how they are named): a local
 * directory ({@link DiskStore}) or an S3-compatible bucket shared by every instance ({@link BucketStore}). A
 * download is written to a local {@link #partial} file first and {@link #store stored} only once complete, so a
 * stored file is always whole. A file is served and kept for the retention period from when it was stored;
 * {@link #sweep()} deletes older ones.
 */
public interface FileStore {

    /** A stored file: its name, size in bytes and when it was stored. */
    record Stored(String name, long size, Instant storedAt) {

        public String contentType() {
            return FileNames.contentType(name);
        }
    }

    /** How long a file is kept and served. */
    Duration retention();

    /** Where the files are, for the log (never a key). */
    String describe();

    /** A fresh local file for one download in progress of {@code name}; no other download writes to it. */
    Path partial(String name);

    /**
     * Stores the complete download at {@code partial} as {@code name}, replacing any file of that name; the
     * partial file is gone afterwards, stored or not. The stored file, or a failure saying why.
     */
    Future<Stored> store(Path partial, String name);

    /**
     * The stored, unexpired file called {@code name}, an unguessable name ({@link FileNames#isServed}); empty for
     * any other name. Blocking.
     *
     * @throws StoreUnavailable when the storage cannot be asked
     */
    Optional<Stored> find(String name);

    /**
     * The stored, unexpired copy kept under {@code key}, whatever its type; empty when there is none. Blocking.
     *
     * @throws StoreUnavailable when the storage cannot be asked
     */
    Optional<Stored> findKeyed(String key);

    /**
     * Sends bytes {@code first} to {@code first + length - 1} of {@code file} as the body of {@code out}, whose
     * status and headers are set: completes once the body is under way, or fails before anything was written.
     */
    Future<Void> send(HttpServerResponse out, Stored file, long first, long length);

    /** The whole of {@code file}, for a small one (the caller checks its size): in memory. */
    Future<Buffer> read(Stored file);

    /** Deletes files (and abandoned downloads) older than the retention; returns how many. Blocking. */
    int sweep();

    /** The storage could not be asked (unreachable, refused): a reason, never a key. */
    final class StoreUnavailable extends RuntimeException {

        public StoreUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
