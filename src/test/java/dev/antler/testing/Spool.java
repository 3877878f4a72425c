package dev.antler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The gateway's upload spool directory of this process (see {@code Gateway}), to check nothing is left in it. */
public final class Spool {

    private Spool() {}

    public static Path directory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "antler-spool-" + ProcessHandle.current().pid());
    }

    /** The spooled uploads present now. */
    public static List<Path> files() {
        if (!Files.isDirectory(directory())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory())) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
