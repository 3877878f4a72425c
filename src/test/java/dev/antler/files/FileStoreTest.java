package dev.antler.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileStoreTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2030-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private Path directory;
    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void createDirectory() throws Exception {
        directory = Files.createTempDirectory("file-store-");
    }

    @AfterEach
    void deleteDirectory() throws Exception {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String store(FileStore store, String contentType) throws Exception {
        String name = store.newName(contentType);
        Files.write(store.partial(name), new byte[] {1, 2, 3});
        store.commit(name);
        return name;
    }

    @Test
    void namesAreUnguessableAndTyped() {
        FileStore store = new FileStore(directory, Duration.ofHours(1), clock);
        String a = store.newName("image/png");
        assertThat(a).matches("[A-Za-z0-9_-]{43}\\.png");
        assertThat(store.newName("image/png")).isNotEqualTo(a);
        assertThat(store.newName("image/jpeg; charset=binary")).endsWith(".jpg");
        assertThat(store.newName("text/html")).endsWith(".bin");
        assertThat(store.newName(null)).endsWith(".bin");
        assertThat(FileStore.contentType(a)).isEqualTo("image/png");
        assertThat(FileStore.contentType("x.bin")).isEqualTo("application/octet-stream");
    }

    @Test
    void filesAreServedForTheRetentionThenDeleted() throws Exception {
        FileStore store = new FileStore(directory, Duration.ofHours(2), clock);
        String name = store(store, "image/png");
        assertThat(store.find(name)).contains(directory.toAbsolutePath().resolve(name));

        clock.now = clock.now.plus(Duration.ofMinutes(119));
        assertThat(store.find(name)).isPresent();
        assertThat(store.sweep()).isZero();

        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThat(store.find(name)).isEmpty();
        String fresh = store(store, "image/webp");
        assertThat(store.sweep()).isEqualTo(1);
        assertThat(Files.exists(directory.resolve(name))).isFalse();
        assertThat(store.find(fresh)).isPresent();
    }

    @Test
    void onlyWellFormedNamesAreLookedUp() throws Exception {
        FileStore store = new FileStore(directory, Duration.ofHours(1), clock);
        Files.writeString(directory.resolve("secret.txt"), "x");
        assertThat(store.find("secret.txt")).isEmpty();
        assertThat(store.find("../" + directory.getFileName() + "/secret.txt")).isEmpty();
        assertThat(store.find(null)).isEmpty();
        assertThat(store.find("A".repeat(43) + ".png")).isEmpty();
    }
}
