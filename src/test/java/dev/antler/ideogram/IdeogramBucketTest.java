package dev.antler.ideogram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.GatewayHarness;
import dev.antler.testing.S3Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * With {@code mirror.s3}, mirrored result images are kept in the bucket and served under {@code /files/<name>}
 * through the gateway (Range and HEAD too) by every gateway sharing the bucket; no answer shows the bucket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdeogramBucketTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Path directory;
    private S3Server s3;
    private IdeogramGateway ideogram;
    private GatewayHarness other;

    @BeforeAll
    void start() throws Exception {
        directory = Files.createTempDirectory("antler-image-bucket-");
        s3 = S3Server.start();
        ideogram = new IdeogramGateway("""
                mirror: { enabled: true, directory: "%s", retention_hours: 2, s3: %s }
                """.formatted(directory.resolve("first"), s3.yaml()));
        other = GatewayHarness.start("""
                mirror: { enabled: true, directory: "%s", s3: %s }
                """.formatted(directory.resolve("other"), s3.yaml()));
    }

    @AfterAll
    void stop() throws Exception {
        other.close();
        ideogram.close();
        s3.close();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static HttpResponse<byte[]> get(String url, String method, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).get(20, TimeUnit.SECONDS);
    }

    private void assertNoBucketIn(HttpResponse<?> answer, String body) {
        String text = answer.headers().map() + body;
        assertThat(text).doesNotContain(":" + s3.port()).doesNotContain(S3Server.BUCKET)
                .doesNotContain(S3Server.ACCESS_KEY).doesNotContain("Jetty");
        assertThat(answer.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-amz"));
    }

    @Test
    void mirroredImagesAreKeptInTheBucketAndServedWithRangeByEveryGateway() throws Exception {
        HttpResponse<String> response = ideogram.post("/ideogram/v1/ideogram-v3/generate", new Form()
                .field("prompt", "a cat").field("num_images", "2").field("rendering_speed", "TURBO"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertNoBucketIn(response, response.body());
        String url = IdeogramGateway.json(response).path("data").get(0).path("url").stringValue();
        assertThat(url).matches(".*/files/[A-Za-z0-9_-]{43}\\.png");
        String name = url.substring(url.lastIndexOf('/') + 1);
        assertThat(s3.keys()).hasSize(2).contains("antler/" + name);
        assertThat(s3.bytes("antler/" + name)).isEqualTo(FakeIdeogram.RESULT_IMAGE);
        try (var files = Files.list(directory.resolve("first"))) {
            assertThat(files).as("nothing kept on the gateway's disk").isEmpty();
        }

        byte[] image = FakeIdeogram.RESULT_IMAGE;
        HttpResponse<byte[]> whole = get(url, "GET", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(whole.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("public"));
        assertThat(whole.body()).isEqualTo(image);
        assertNoBucketIn(whole, new String(whole.body(), StandardCharsets.ISO_8859_1));

        String elsewhere = other.baseUrl() + "/files/" + name;
        HttpResponse<byte[]> range = get(elsewhere, "GET", "bytes=2-9");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).contains("bytes 2-9/" + image.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(image, 2, 10));
        assertNoBucketIn(range, new String(range.body(), StandardCharsets.ISO_8859_1));
        HttpResponse<byte[]> head = get(elsewhere, "HEAD", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(image.length);
        assertThat(get(elsewhere, "GET", "bytes=100000-").statusCode()).isEqualTo(416);
        HttpResponse<byte[]> unknown = get(other.baseUrl() + "/files/" + "A".repeat(43) + ".png", "GET", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertNoBucketIn(unknown, new String(unknown.body(), StandardCharsets.UTF_8));
        assertThat(ideogram.upstream.imageDownloads).as("each image fetched once, at the answer").hasSize(2);
    }

    @Test
    void aBucketThatRefusesIsA503ThatDoesNotNameIt() throws Exception {
        String wrong = "wrong-secret-for-the-images-0001";
        dev.antler.testing.SuiteSecrets.record(wrong);
        try (GatewayHarness refused = GatewayHarness.start("""
                mirror: { enabled: true, directory: "%s", s3: %s }
                """.formatted(directory.resolve("refused"), s3.yaml(wrong)))) {
            HttpResponse<byte[]> answer = get(refused.baseUrl() + "/files/" + "B".repeat(43) + ".png", "GET", null);
            String body = new String(answer.body(), StandardCharsets.UTF_8);
            assertThat(answer.statusCode()).as(body).isEqualTo(503);
            assertThat(body).contains("storage_unavailable").doesNotContain("403").doesNotContain(wrong);
            assertNoBucketIn(answer, body);
        }
    }
}
