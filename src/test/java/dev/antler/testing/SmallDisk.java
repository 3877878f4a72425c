package dev.antler.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small filesystem of its own (a tmpfs mounted on a temporary directory) that a test fills to the last
 * byte and frees again: a real "disk full" for the store. Needs root (mount); without it the test is
 * skipped with a message saying so.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path mountPoint;
    private final Path filler;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    public static SmallDisk mount(int megabytes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("antler-small-disk-");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs",
                dir.toString()).redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
        if (!mounted) {
            String why = new String(mount.getInputStream().readAllBytes());
            Files.deleteIfExists(dir);
            Assumptions.abort("a full disk is simulated with a tmpfs, and mounting one was refused here ("
                    + why.trim() + "); run the suite as root to include this test");
        }
        return new SmallDisk(dir);
    }

    public Path path() {
        return mountPoint;
    }

    /** Writes a file until the filesystem has no byte left. */
    public void fill() throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // ENOSPC: full, as intended; now take the last small blocks too
        }
        try (OutputStream out = Files.newOutputStream(mountPoint.resolve("filler-tail"))) {
            while (true) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // full to the byte
        }
    }

    public void free() throws IOException {
        Files.deleteIfExists(filler);
        Files.deleteIfExists(mountPoint.resolve("filler-tail"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor(10, TimeUnit.SECONDS);
        Files.deleteIfExists(mountPoint);
    }
}
