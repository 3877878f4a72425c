package dev.antler.files;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files kept in a local directory ({@code mirror.directory}), sent from disk by the server as the client takes
 * them. A download is moved into place atomically; its modification time, set to the gateway's clock, is when it
 * was stored.
 */
public final class DiskStore implements FileStore {

    private static final Logger log = LoggerFactory.getLogger(DiskStore.class);

    private final Vertx vertx;
    private final Path directory;
    private final Duration retention;
    private final Clock clock;

    public DiskStore(Vertx vertx, Path directory, Duration retention, Clock clock) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.directory = createDirectory(requireNonNull(directory, "directory"));
        this.retention = requireNonNull(retention, "retention");
        this.clock = requireNonNull(clock, "clock");
    }

    /** {@code directory}, created if missing, as an absolute path. */
    static Path createDirectory(Path directory) {
        try {
            return Files.createDirectories(directory.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("mirror.directory: " + directory + " (expected: a writable directory)", e);
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public Duration retention() {
        return retention;
    }

    @Override
    public String describe() {
        return directory.toString();
    }

    @Override
    public Path partial(String name) {
        return directory.resolve(FileNames.partialName(name));
    }

    @Override
    public Future<Stored> store(Path partial, String name) {
        return vertx.executeBlocking(() -> {
            Path target = directory.resolve(name);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Instant now = clock.instant();
                Files.setLastModifiedTime(target, FileTime.from(now));
                return new Stored(name, Files.size(target), now);
            } catch (IOException e) {
                Files.deleteIfExists(partial);
                throw new IOException("cannot store the file: " + e.getMessage(), e);
            }
        }, false);
    }

    @Override
    public Optional<Stored> find(String name) {
        return FileNames.isServed(name) ? stored(name, clock.instant()) : Optional.empty();
    }

    @Override
    public Optional<Stored> findKeyed(String key) {
        if (!FileNames.isKey(key)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        for (String name : FileNames.keyedNames(key)) {
            Optional<Stored> file = stored(name, now);
            if (file.isPresent()) {
                return file;
            }
        }
        return Optional.empty();
    }

    private Optional<Stored> stored(String name, Instant now) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(directory.resolve(name), BasicFileAttributes.class);
            Instant storedAt = attributes.lastModifiedTime().toInstant();
            return attributes.isRegularFile() && !storedAt.plus(retention).isBefore(now)
                    ? Optional.of(new Stored(name, attributes.size(), storedAt)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not there, or deleted meanwhile
        }
    }

    @Override
    public Future<Void> send(HttpServerResponse out, Stored file, long first, long length) {
        out.sendFile(directory.resolve(file.name()).toString(), first, length).onFailure(e -> out.reset());
        return Future.succeededFuture();
    }

    @Override
    public Future<Buffer> read(Stored file) {
        return vertx.fileSystem().readFile(directory.resolve(file.name()).toString());
    }

    @Override
    public int sweep() {
        int deleted = deleteExpired(directory, name -> true, clock.instant().minus(retention));
        if (deleted > 0) {
            log.info("deleted {} mirrored file(s) older than {} h", deleted, retention.toHours());
        }
        return deleted;
    }

    /** Deletes the files in {@code directory} whose names pass {@code names}, last changed before {@code cutoff}. */
    static int deleteExpired(Path directory, Predicate<String> names, Instant cutoff) {
        int deleted = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                try {
                    if (names.test(file.getFileName().toString()) && Files.isRegularFile(file)
                            && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(file);
                        deleted++;
                    }
                } catch (IOException e) {
                    log.warn("mirrored file {}: not deleted ({})", file.getFileName(), e.toString());
                }
            }
        } catch (IOException e) {
            log.warn("mirror directory {}: not swept ({})", directory, e.toString());
        }
        return deleted;
    }
}
