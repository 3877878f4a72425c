package dev.antler.console.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The console's files ({@code console/**} on the class path, from the jar or from a build's classes directory), read
 * once at start into memory, each with its content type, a strong ETag and, where it pays, a gzip copy.
 */
public final class ConsoleAssets {

    static final String ROOT = "console";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "md", "text/plain; charset=utf-8",
            "txt", "text/plain; charset=utf-8",
            "", "text/plain; charset=utf-8"); // the vendored libraries' LICENSE files

    /** One file: {@code gzip} is null when compressing does not make it smaller (images). */
    public record Asset(String path, String contentType, byte[] bytes, byte[] gzip, String etag) {}

    private final Map<String, Asset> byPath;

    private ConsoleAssets(Map<String, Asset> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    /** The files under {@code console/} of the class path; fails the start when they are missing. */
    public static ConsoleAssets load() {
        URL index = ConsoleAssets.class.getClassLoader().getResource(ROOT + "/index.html");
        if (index == null) {
            throw new IllegalStateException("console: " + ROOT + "/index.html (expected: on the class path)");
        }
        try {
            URI uri = index.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(jar.getPath("/" + ROOT));
                } catch (java.nio.file.FileSystemAlreadyExistsException e) {
                    return read(FileSystems.getFileSystem(uri).getPath("/" + ROOT));
                }
            }
            return read(Path.of(uri).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("console: reading " + index, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("console: " + index, e);
        }
    }

    private static ConsoleAssets read(Path root) throws IOException {
        Map<String, Asset> assets = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                assets.put(relative, asset(relative, Files.readAllBytes(file)));
            }
        }
        return new ConsoleAssets(assets);
    }

    static Asset asset(String path, byte[] bytes) {
        String type = TYPES.getOrDefault(extension(path), "application/octet-stream");
        byte[] gzip = gzip(bytes);
        return new Asset(path, type, bytes, gzip.length < bytes.length * 9 / 10 ? gzip : null, etag(bytes));
    }

    /** The file at {@code path} (relative to the console's root, no leading slash). */
    public Optional<Asset> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    public Asset index() {
        return byPath.get("index.html");
    }

    static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
