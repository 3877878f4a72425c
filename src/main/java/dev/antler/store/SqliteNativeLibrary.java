package dev.antler.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Points sqlite-jdbc at a copy of its native library kept in the user's cache directory. Left to
 * itself, sqlite-jdbc unpacks the library from its jar into a new temporary file at every start,
 * which costs about a sixth of the gateway's start-up CPU. The copy is keyed by the driver's version
 * and written atomically, so a half-written file is never loaded. Whatever goes wrong here, the
 * driver's own behaviour remains: this only ever sets the two system properties it documents.
 */
final class SqliteNativeLibrary {

    private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private SqliteNativeLibrary() {}

    static synchronized void useCachedCopy() {
        if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
            return; // the operator chose a library
        }
        try {
            String library = System.mapLibraryName("sqlitejdbc");
            String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
            String resource = "/org/sqlite/native/" + folder + "/" + library;
            Path directory = cacheRoot().resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-"
                    + folder.replace('/', '-'));
            Path copy = directory.resolve(library);
            if (!Files.isRegularFile(copy) && !extract(resource, directory, copy)) {
                return;
            }
            System.setProperty(PATH_PROPERTY, directory.toString());
            System.setProperty(NAME_PROPERTY, library);
        } catch (IOException | RuntimeException e) {
            log.debug("sqlite native library: no cached copy ({}); the driver unpacks its own", e.toString());
        }
    }

    private static boolean extract(String resource, Path directory, Path copy) throws IOException {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            createPrivateDirectories(directory);
            Path partial = Files.createTempFile(directory, "partial-", ".tmp");
            try {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return true;
        }
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("antler");
    }

    private static void createPrivateDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(directory);
        }
    }
}
