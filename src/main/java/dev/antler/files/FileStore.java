package dev.antler.files;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files the gateway keeps for its users in a local directory: mirrored result images under unguessable
 * names (256 random bits, base64url, plus an extension for the content type), served by {@code /files/};
 * copies kept for an owner (a task's video) under a name made from a key ({@code task-12-video.mp4}), found
 * by that key and never served by {@code /files/}. A file is served and kept for the retention period from
 * when it was stored; {@link #sweep()} deletes older ones.
 */
public final class FileStore {

    private static final Logger log = LoggerFactory.getLogger(FileStore.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{43}\\.(png|jpg|webp|gif|svg|bin)");
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final Map<String, String> EXTENSIONS = Map.of("image/png", "png", "image/jpeg", "jpg",
            "image/webp", "webp", "image/gif", "gif", "image/svg+xml", "svg", "video/mp4", "mp4", "video/webm", "webm");
    private static final Map<String, String> TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "webp", "image/webp", "gif", "image/gif", "svg", "image/svg+xml", "mp4", "video/mp4", "webm", "video/webm",
            "bin", "application/octet-stream");

    private final Path directory;
    private final Duration retention;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public FileStore(Path directory, Duration retention, Clock clock) {
        this.directory = requireNonNull(directory, "directory").toAbsolutePath();
        this.retention = requireNonNull(retention, "retention");
        this.clock = requireNonNull(clock, "clock");
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("mirror.directory: " + directory + " (expected: a writable directory)", e);
        }
    }

    public Path directory() {
        return directory;
    }

    public Duration retention() {
        return retention;
    }

    /** A fresh unguessable name for a file of {@code contentType} (parameters ignored; unknown types: .bin). */
    public String newName(String contentType) {
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits) + "." + extension(contentType);
    }

    /**
     * The name of the copy kept under {@code key} (lower case letters, digits and dashes, at most 31: never an
     * unguessable name, so never served by {@code /files/}) for a file of {@code contentType}.
     */
    public String keyedName(String key, String contentType) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key: " + key + " (expected: [a-z][a-z0-9-]{0,30})");
        }
        return key + "." + extension(contentType);
    }

    /** The stored, unexpired copy kept under {@code key}, whatever its type; empty when there is none. */
    public Optional<Path> findKeyed(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        for (String extension : TYPES.keySet()) {
            Path file = directory.resolve(key + "." + extension);
            try {
                if (Files.isRegularFile(file) && !expired(file, now)) {
                    return Optional.of(file);
                }
            } catch (IOException e) {
                // deleted meanwhile: not there
            }
        }
        return Optional.empty();
    }

    private static String extension(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return EXTENSIONS.getOrDefault(type, "bin");
    }

    /** Where a download in progress is written before it is moved to {@code name}. */
    public Path partial(String name) {
        return directory.resolve(".partial-" + name);
    }

    /** Makes a completed download visible under {@code name}, stamped with the current time. */
    public void commit(String name) throws IOException {
        Path target = directory.resolve(name);
        Files.move(partial(name), target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
    }

    /** The stored, unexpired file called {@code name}; empty for any other name. */
    public Optional<Path> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path file = directory.resolve(name);
        try {
            if (!Files.isRegularFile(file) || expired(file, clock.instant())) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(file);
    }

    public static String contentType(String name) {
        return TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
    }

    /** Deletes files (and abandoned partial downloads) older than the retention; returns how many. */
    public int sweep() {
        Instant now = clock.instant();
        int deleted = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                try {
                    if (Files.isRegularFile(file) && expired(file, now)) {
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
        if (deleted > 0) {
            log.info("deleted {} mirrored file(s) older than {} h", deleted, retention.toHours());
        }
        return deleted;
    }

    private boolean expired(Path file, Instant now) throws IOException {
        return Files.getLastModifiedTime(file).toInstant().plus(retention).isBefore(now);
    }
}
