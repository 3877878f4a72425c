package dev.antler.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.config.S3Config;
import dev.antler.testing.ManualClock;
import dev.antler.testing.S3Server;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The bucket store against a real S3 server (SigV4 checked): files are uploaded whole from their partial file,
 * found by name and key, kept for the retention and then swept (the gateway's names only); two stores of one name
 * at once leave one whole object; wrong keys fail with the bucket's reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BucketStoreTest {

    private S3Server s3;
    private Vertx vertx;
    private HttpClient http;
    private Path scratch;
    private ManualClock clock;

    @BeforeAll
    void startServer() {
        s3 = S3Server.start();
        vertx = Vertx.vertx();
        http = vertx.createHttpClient();
    }

    @AfterAll
    void stopServer() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        s3.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        scratch = Files.createTempDirectory("bucket-scratch-");
        clock = ManualClock.now();
        s3.clear();
    }

    @AfterEach
    void deleteScratch() throws Exception {
        try (var files = Files.walk(scratch)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private FileStore store(String secret) {
        return BucketStore.open(new S3Config(s3.endpoint(), null, S3Server.BUCKET, "gw/", S3Server.ACCESS_KEY,
                secret, true), vertx, http, scratch, Duration.ofHours(2), clock, 10_000);
    }

    private static FileStore.Stored put(FileStore store, String name, byte[] bytes) throws Exception {
        return putLater(store, name, bytes).await(20, TimeUnit.SECONDS);
    }

    private static Future<FileStore.Stored> putLater(FileStore store, String name, byte[] bytes) throws Exception {
        Path partial = store.partial(name);
        Files.write(partial, bytes);
        return store.store(partial, name);
    }

    private static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ((i + seed) % 251);
        }
        return bytes;
    }

    @Test
    void aStoredFileIsInTheBucketUnderThePrefixFoundAndSweptAfterTheRetention() throws Exception {
        FileStore store = store(S3Server.SECRET_KEY);
        String image = FileNames.newName("image/png");
        FileStore.Stored stored = put(store, image, pattern(3000, 0));
        assertThat(stored.name()).isEqualTo(image);
        assertThat(stored.size()).isEqualTo(3000);
        put(store, "videos-4-0.mp4", pattern(5000, 1));
        s3.blobs().putBlob(S3Server.BUCKET, s3.blobs().blobBuilder("gw/notes.txt").payload("not ours").build());

        assertThat(s3.keys()).containsExactlyInAnyOrder("gw/" + image, "gw/videos-4-0.mp4", "gw/notes.txt");
        assertThat(s3.bytes("gw/videos-4-0.mp4")).isEqualTo(pattern(5000, 1));
        try (var files = Files.list(scratch)) {
            assertThat(files).as("the partial files are gone").isEmpty();
        }
        assertThat(store.find(image)).hasValueSatisfying(f -> assertThat(f.size()).isEqualTo(3000));
        assertThat(store.find("videos-4-0.mp4")).as("a keyed copy is never a /files/ name").isEmpty();
        assertThat(store.findKeyed("videos-4-0")).hasValueSatisfying(f -> {
            assertThat(f.name()).isEqualTo("videos-4-0.mp4");
            assertThat(f.size()).isEqualTo(5000);
            assertThat(f.contentType()).isEqualTo("video/mp4");
        });
        assertThat(store.findKeyed("videos-4")).as("not another key's copy").isEmpty();
        assertThat(store.read(store.find(image).orElseThrow()).await(10, TimeUnit.SECONDS).getBytes())
                .isEqualTo(pattern(3000, 0));
        assertThat(store.findKeyed("videos-4-1")).isEmpty();

        assertThat(store.sweep()).isZero();
        clock.advanceSeconds(2 * 3600 + 120);
        assertThat(store.find(image)).as("expired: not served").isEmpty();
        assertThat(store.findKeyed("videos-4-0")).isEmpty();
        Files.writeString(scratch.resolve(".partial-0011223344556677-videos-9-0.mp4"), "left by a stop");
        Files.setLastModifiedTime(scratch.resolve(".partial-0011223344556677-videos-9-0.mp4"),
                java.nio.file.attribute.FileTime.from(clock.instant().minus(Duration.ofHours(3))));
        assertThat(store.sweep()).as("two objects and an abandoned partial file").isEqualTo(3);
        assertThat(s3.keys()).as("what is not the gateway's is left alone").containsExactly("gw/notes.txt");
        try (var files = Files.list(scratch)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void twoStoresOfOneNameAtOnceLeaveOneWholeObject() throws Exception {
        FileStore one = store(S3Server.SECRET_KEY);
        FileStore other = store(S3Server.SECRET_KEY);
        byte[] first = pattern(2 * 1024 * 1024, 3);
        byte[] second = pattern(2 * 1024 * 1024, 7);
        Future<FileStore.Stored> a = putLater(one, "videos-5-0.mp4", first);
        Future<FileStore.Stored> b = putLater(other, "videos-5-0.mp4", second);
        Future.all(a, b).await(30, TimeUnit.SECONDS);

        assertThat(s3.keys()).containsExactly("gw/videos-5-0.mp4");
        byte[] kept = s3.bytes("gw/videos-5-0.mp4");
        assertThat(Arrays.equals(kept, first) || Arrays.equals(kept, second)).as("one upload, whole").isTrue();
        assertThat(other.findKeyed("videos-5-0")).hasValueSatisfying(f -> assertThat(f.size()).isEqualTo(first.length));
    }

    @Test
    void wrongKeysFailWithTheBucketsReasonAndNothingIsStored() throws Exception {
        FileStore store = store("not-the-secret-key-0000000000");
        String name = FileNames.newName("image/png");
        Path partial = store.partial(name);
        Files.write(partial, pattern(100, 0));
        Throwable failure = store.store(partial, name).toCompletionStage().toCompletableFuture()
                .handle((stored, e) -> e).get(20, TimeUnit.SECONDS);
        assertThat(failure).hasMessageStartingWith("the bucket refused the upload: HTTP 403");
        assertThat(failure.getMessage()).doesNotContain("not-the-secret-key");
        assertThat(partial).doesNotExist();
        assertThat(s3.keys()).isEmpty();
        assertThatThrownBy(() -> store.findKeyed("videos-1-0")).isInstanceOf(FileStore.StoreUnavailable.class)
                .hasMessageContaining("HTTP 403");
        assertThatThrownBy(() -> store.find(name)).isInstanceOf(FileStore.StoreUnavailable.class)
                .hasMessageContaining("HTTP 403");
    }

    @Test
    void anUnreachableBucketIsUnavailableNotEmpty() {
        FileStore store = BucketStore.open(new S3Config("http://127.0.0.1:1", null, S3Server.BUCKET, null,
                S3Server.ACCESS_KEY, S3Server.SECRET_KEY, true), vertx, http, scratch, Duration.ofHours(2), clock, 5_000);
        assertThatThrownBy(() -> store.findKeyed("videos-1-0")).isInstanceOf(FileStore.StoreUnavailable.class);
    }

}
