package dev.antler.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiskStoreTest {

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
    private Vertx vertx;

    @BeforeEach
    void createDirectory() throws Exception {
        directory = Files.createTempDirectory("file-store-");
        vertx = Vertx.vertx();
    }

    @AfterEach
    void deleteDirectory() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String store(FileStore store, String contentType) throws Exception {
        String name = FileNames.newName(contentType);
        Path partial = store.partial(name);
        Files.write(partial, new byte[] {1, 2, 3});
        store.store(partial, name).await(10, TimeUnit.SECONDS);
        assertThat(partial).doesNotExist();
        return name;
    }

    @Test
    void namesAreUnguessableAndTyped() {
        String a = FileNames.newName("image/png");
        assertThat(a).matches("[A-Za-z0-9_-]{43}\\.png");
        assertThat(FileNames.newName("image/png")).isNotEqualTo(a);
        assertThat(FileNames.newName("image/jpeg; charset=binary")).endsWith(".jpg");
        assertThat(FileNames.newName("text/html")).endsWith(".bin");
        assertThat(FileNames.newName(null)).endsWith(".bin");
        assertThat(FileNames.contentType(a)).isEqualTo("image/png");
        assertThat(FileNames.contentType("x.bin")).isEqualTo("application/octet-stream");
        assertThat(FileNames.keyedName("videos-1-0", "video/mp4")).isEqualTo("videos-1-0.mp4");
        assertThat(FileNames.isKeyedName("videos-1-0.mp4")).isTrue();
        assertThat(FileNames.isKeyedName("videos-1-0.exe")).isFalse();
        assertThat(FileNames.isKeyedName(a)).isFalse();
    }

    @Test
    void twoDownloadsOfOneNameNeverShareAPartialFile() {
        DiskStore store = new DiskStore(vertx, directory, Duration.ofHours(1), clock);
        assertThat(store.partial("videos-1-0.mp4")).isNotEqualTo(store.partial("videos-1-0.mp4"));
        assertThat(store.partial("videos-1-0.mp4").getParent()).isEqualTo(directory.toAbsolutePath());
    }

    @Test
    void filesAreServedForTheRetentionThenDeleted() throws Exception {
        FileStore store = new DiskStore(vertx, directory, Duration.ofHours(2), clock);
        String name = store(store, "image/png");
        assertThat(store.find(name)).contains(new FileStore.Stored(name, 3, clock.now));
        String keyed = FileNames.keyedName("videos-7-0", "video/mp4");
        Path partial = store.partial(keyed);
        Files.write(partial, new byte[5]);
        store.store(partial, keyed).await(10, TimeUnit.SECONDS);
        assertThat(store.findKeyed("videos-7-0")).contains(new FileStore.Stored(keyed, 5, clock.now));
        assertThat(store.find(keyed)).as("a keyed copy is never served by /files/").isEmpty();
        assertThat(store.read(store.find(name).orElseThrow()).await(10, TimeUnit.SECONDS).getBytes())
                .containsExactly(1, 2, 3);

        clock.now = clock.now.plus(Duration.ofMinutes(119));
        assertThat(store.find(name)).isPresent();
        assertThat(store.sweep()).isZero();

        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThat(store.find(name)).isEmpty();
        assertThat(store.findKeyed("videos-7-0")).isEmpty();
        String fresh = store(store, "image/webp");
        assertThat(store.sweep()).isEqualTo(2);
        assertThat(Files.exists(directory.resolve(name))).isFalse();
        assertThat(store.find(fresh)).isPresent();
    }

    @Test
    void onlyWellFormedNamesAreLookedUp() throws Exception {
        FileStore store = new DiskStore(vertx, directory, Duration.ofHours(1), clock);
        Files.writeString(directory.resolve("secret.txt"), "x");
        assertThat(store.find("secret.txt")).isEmpty();
        assertThat(store.find("../" + directory.getFileName() + "/secret.txt")).isEmpty();
        assertThat(store.find(null)).isEmpty();
        assertThat(store.find("A".repeat(43) + ".png")).isEmpty();
    }
}
