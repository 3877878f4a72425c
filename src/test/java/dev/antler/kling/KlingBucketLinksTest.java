package dev.antler.kling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.S3Server;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With {@code mirror.s3}, a result link ({@code /results/...}) serves the copy kept in the bucket, Range too. */
class KlingBucketLinksTest {

    private Path directory;
    private FakeKling upstream;
    private S3Server s3;
    private GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        directory = Files.createTempDirectory("antler-kling-bucket-");
        upstream = new FakeKling();
        s3 = S3Server.start();
        gw = GatewayHarness.start("""
                channels: [{ name: kling, type: kling, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                mirror: { enabled: true, directory: "%s", s3: %s }
                """.formatted(upstream.baseUrl(), FakeKling.KEY, TestUsers.key("alice"), directory, s3.yaml()));
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        upstream.close();
        s3.close();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private HttpResponse<byte[]> download(String url, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return gw.http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aResultLinkServesTheCopyFromTheBucket() throws Exception {
        HttpResponse<String> created = gw.post("/kling/v1/videos/text2video", TestUsers.key("alice"),
                "{\"prompt\": \"a heron\", \"duration\": \"5\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = Json.MAPPER.readTree(created.body()).path("data").path("task_id").asString();
        gw.awaitLedger();
        gw.get("/kling/v1/videos/text2video/" + id, TestUsers.key("alice"));
        String done = gw.get("/kling/v1/videos/text2video/" + id, TestUsers.key("alice")).body();
        String link = Json.MAPPER.readTree(done).path("data").path("task_result").path("videos").get(0)
                .path("url").asString();
        assertThat(link).contains("/results/" + id + "/");
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && s3.keys().stream().noneMatch(k -> k.matches("antler/kling-\\d+-0\\.mp4"))) {
            Thread.sleep(20);
        }
        assertThat(s3.keys()).as("the copy is made in the background, in the bucket")
                .anyMatch(k -> k.matches("antler/kling-\\d+-0\\.mp4"));

        byte[] expected = upstream.result(upstream.lastId());
        HttpResponse<byte[]> whole = download(link, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(expected);
        HttpResponse<byte[]> part = download(link, "bytes=-10");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range"))
                .contains("bytes " + (expected.length - 10) + "-" + (expected.length - 1) + "/" + expected.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(expected, expected.length - 10, expected.length));
        assertThat(upstream.cdnHits.get()).as("copied once, then served from the bucket").isEqualTo(1);
        assertThat(part.headers().map().toString()).doesNotContain(":" + s3.port()).doesNotContain(S3Server.BUCKET);
    }
}
