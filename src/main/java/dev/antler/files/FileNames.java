package dev.antler.files;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names of stored files, the same in every {@link FileStore}: mirrored result images under unguessable names
 * (256 random bits, base64url, plus an extension for the content type), served by {@code /files/}; copies kept for
 * an owner under a name made from a key ({@code videos-12-0.mp4}), found by that key and never served by
 * {@code /files/}. The extension gives the type a file is served with.
 */
public final class FileNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{43}\\.(png|jpg|webp|gif|svg|bin)");
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final Map<String, String> EXTENSIONS = Map.of("image/png", "png", "image/jpeg", "jpg",
            "image/webp", "webp", "image/gif", "gif", "image/svg+xml", "svg", "video/mp4", "mp4", "video/webm", "webm");
    private static final Map<String, String> TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "webp", "image/webp", "gif", "image/gif", "svg", "image/svg+xml", "mp4", "video/mp4", "webm", "video/webm",
            "bin", "application/octet-stream");
    /** Where a download in progress is written, in the local directory, before it is stored. */
    static final String PARTIAL = ".partial-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private FileNames() {}

    /** A fresh unguessable name for a file of {@code contentType} (parameters ignored; unknown types: .bin). */
    public static String newName(String contentType) {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits) + "." + extension(contentType);
    }

    /**
     * The name of the copy kept under {@code key} (lower case letters, digits and dashes, at most 31: never an
     * unguessable name, so never served by {@code /files/}) for a file of {@code contentType}.
     */
    public static String keyedName(String key, String contentType) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("key: " + key + " (expected: [a-z][a-z0-9-]{0,30})");
        }
        return key + "." + extension(contentType);
    }

    /** Whether {@code name} is an unguessable name: the only names {@code /files/} serves. */
    public static boolean isServed(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** Every name a copy kept under {@code key} may have, one per type. */
    static Iterable<String> keyedNames(String key) {
        return TYPES.keySet().stream().map(extension -> key + "." + extension).toList();
    }

    /** Whether {@code name} is the name of a copy kept under some key. */
    static boolean isKeyedName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && isKeyed(name.substring(0, dot), name);
    }

    /** Whether {@code name} is one of the names a copy kept under {@code key} may have. */
    static boolean isKeyed(String key, String name) {
        return isKey(key) && name.startsWith(key + ".") && TYPES.containsKey(name.substring(key.length() + 1));
    }

    /** The content type a stored file is served with. */
    public static String contentType(String name) {
        return TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
    }

    /** A name for one download in progress of {@code name}: never the same twice, so two never share a file. */
    static String partialName(String name) {
        byte[] bits = new byte[8];
        RANDOM.nextBytes(bits);
        return PARTIAL + HexFormat.of().formatHex(bits) + "-" + name;
    }

    private static String extension(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return EXTENSIONS.getOrDefault(type, "bin");
    }
}
