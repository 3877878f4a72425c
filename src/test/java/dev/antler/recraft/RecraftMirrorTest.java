package dev.antler.recraft;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * With image mirroring on, every result URL of a Recraft answer — a generation's {@code data[].url}, a tool's
 * {@code image.url}, raster or SVG — is the gateway's own copy, and the answer names no provider host or key;
 * inline ({@code b64_json}) answers pass through untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecraftMirrorTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Path directory;
    private RecraftGateway recraft;

    @BeforeAll
    void start() throws Exception {
        directory = Files.createTempDirectory("antler-recraft-mirror-");
        recraft = new RecraftGateway("""
                mirror: { enabled: true, directory: "%s", retention_hours: 2 }
                """.formatted(directory));
    }

    @AfterAll
    void stop() throws Exception {
        recraft.close();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void reset() {
        recraft.reset();
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).get(20, TimeUnit.SECONDS);
    }

    private void assertNoProviderDetails(HttpResponse<String> response) {
        String everything = response.body() + response.headers().map();
        assertThat(everything).doesNotContain(URI.create(recraft.primary.baseUrl()).getAuthority())
                .doesNotContain(FakeRecraft.KEY);
    }

    private String gatewayFile() {
        return recraft.gw.baseUrl().replace("127.0.0.1", "(127.0.0.1|localhost)") + "/files/[A-Za-z0-9_-]{43}";
    }

    @Test
    void generatedImagesAreTheGatewaysCopies() throws Exception {
        HttpResponse<String> response = recraft.postJson("/recraft/v1/images/generations", "{\"prompt\":\"a fox\",\"n\":2}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertNoProviderDetails(response);
        JsonNode data = RecraftGateway.json(response).path("data");
        assertThat(data).hasSize(2);
        assertThat(recraft.primary.downloads).hasSize(2);
        for (JsonNode image : data) {
            String url = image.path("url").stringValue();
            assertThat(url).matches(gatewayFile() + "\\.png");
            assertThat(image.path("image_id").stringValue()).hasSize(36);
            HttpResponse<byte[]> file = get(url);
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type")).contains("image/png");
            assertThat(file.body()).isEqualTo(FakeRecraft.PNG);
        }
    }

    @Test
    void aToolsVectorResultIsServedAsSvgInASandbox() throws Exception {
        HttpResponse<String> response = recraft.postJson("/recraft/v1/images/vectorize",
                "{\"image_url\":\"https://img.example.com/a.png\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertNoProviderDetails(response);
        String url = RecraftGateway.json(response).path("image").path("url").stringValue();
        assertThat(url).matches(gatewayFile() + "\\.svg");
        HttpResponse<byte[]> file = get(url);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).contains("image/svg+xml");
        assertThat(file.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("sandbox").contains("default-src 'none'"));
        assertThat(file.body()).isEqualTo(FakeRecraft.SVG);
    }

    @Test
    void inlineImagesPassThroughWithoutADownload() {
        HttpResponse<String> response = recraft.postJson("/recraft/v1/images/generations",
                "{\"prompt\":\"a fox\",\"response_format\":\"b64_json\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(RecraftGateway.json(response).path("data").get(0).path("b64_json").stringValue())
                .isEqualTo(java.util.Base64.getEncoder().encodeToString(FakeRecraft.PNG));
        assertThat(recraft.primary.downloads).isEmpty();
    }

    @Test
    void aStyleAnswerIsNotTouched() {
        HttpResponse<String> response = recraft.postJson("/recraft/v1/styles",
                "{\"style\":\"any\",\"image_urls\":[\"https://img.example.com/a.png\"]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(RecraftGateway.json(response).path("credits").asLong()).isEqualTo(40);
        assertThat(recraft.primary.downloads).isEmpty();
    }
}
