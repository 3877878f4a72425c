package dev.antler.ideogram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** With image mirroring on, result URLs point at the gateway's own copies, served without a key. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdeogramMirrorTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Path directory;
    private IdeogramGateway ideogram;

    @BeforeAll
    void start() throws Exception {
        directory = Files.createTempDirectory("antler-mirror-");
        ideogram = new IdeogramGateway("""
                mirror: { enabled: true, directory: "%s", retention_hours: 2 }
                """.formatted(directory));
    }

    @AfterAll
    void stop() throws Exception {
        ideogram.close();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void resetUpstream() {
        ideogram.upstream.reset();
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).get(20, TimeUnit.SECONDS);
    }

    @Test
    void resultImagesAreMirroredAndServedWithoutAKey() throws Exception {
        long before = ideogram.balance();
        HttpResponse<String> response = ideogram.post("/ideogram/v1/ideogram-v3/generate", new Form()
                .field("prompt", "a cat").field("num_images", "2").field("rendering_speed", "TURBO"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = IdeogramGateway.json(response);
        assertThat(body.path("created").stringValue()).isEqualTo(FakeIdeogram.CREATED);
        assertThat(body.path("data")).hasSize(2);
        assertThat(ideogram.upstream.imageDownloads).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode image = body.path("data").get(i);
            String url = image.path("url").stringValue();
            assertThat(url).matches(ideogram.gw.baseUrl().replace("127.0.0.1", "(127.0.0.1|localhost)")
                    + "/files/[A-Za-z0-9_-]{43}\\.png");
            assertThat(image.path("seed").asInt()).isEqualTo(12345 + i);
            assertThat(image.path("prompt").stringValue()).isEqualTo("a cat, " + i);
            HttpResponse<byte[]> file = get(url);
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type")).contains("image/png");
            assertThat(file.body()).isEqualTo(FakeIdeogram.RESULT_IMAGE);
        }
        assertThat(body.path("data").get(0).path("url").stringValue())
                .isNotEqualTo(body.path("data").get(1).path("url").stringValue());
        assertThat(before - ideogram.balance()).isEqualTo(2 * Usd.parse("0.03"));
        try (var stored = Files.list(directory)) {
            assertThat(stored.filter(p -> !p.getFileName().toString().startsWith("."))).hasSize(2);
        }
    }

    @Test
    void aFailedDownloadKeepsTheOriginalUrl() {
        ideogram.upstream.imagesAvailable = false;
        HttpResponse<String> response = ideogram.post("/edit", new Form().png("image_file", Form.png(false))
                .png("mask", Form.png(true)).field("prompt", "cat"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(IdeogramGateway.json(response).path("data").get(0).path("url").stringValue())
                .isEqualTo(ideogram.upstream.baseUrl() + "/images/0.png");
        assertThat(ideogram.upstream.imageDownloads).hasSize(1);
    }

    @Test
    void anAnswerTooLargeToRewriteIsRelayedUnchanged() {
        ideogram.upstream.images = 8000; // about 1.3 MB of envelope, over the rewriter's 1 MB
        HttpResponse<String> response = ideogram.post("/v1/ideogram-v3/generate", new Form().field("prompt", "x"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = IdeogramGateway.json(response).path("data");
        assertThat(data).hasSize(8000);
        assertThat(data.get(7999).path("url").stringValue()).isEqualTo(ideogram.upstream.baseUrl() + "/images/7999.png");
        assertThat(ideogram.upstream.imageDownloads).isEmpty();
    }

    @Test
    void describeAnswersAreNotTouched() {
        HttpResponse<String> response = ideogram.post("/describe", new Form().png("image_file", Form.png(false)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"descriptions\":[{\"text\":\"A cat sitting on a chair\"}]}");
        assertThat(ideogram.upstream.imageDownloads).isEmpty();
    }

    @Test
    void onlyStoredNamesAreServed() throws Exception {
        String base = ideogram.gw.baseUrl() + "/files/";
        assertThat(get(base + "A".repeat(43) + ".png").statusCode()).isEqualTo(404);
        assertThat(get(base + "..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
        assertThat(get(base).statusCode()).isEqualTo(404);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(base + "x.png"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
