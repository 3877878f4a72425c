package dev.antler.ideogram;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A 10 MB image (Ideogram's limit) goes through byte for byte, streamed from the spool file: and a
 * benchmark-style measurement of the heap the gateway holds while it relays it (DESIGN invariant 7).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdeogramLargeUploadTest {

    private static final int SIZE = (int) ImageChecks.MAX_IMAGE_BYTES;

    private IdeogramGateway ideogram;
    private Path body;
    private String imageSha256;

    @BeforeAll
    void start() throws Exception {
        ideogram = new IdeogramGateway("");
        // A PNG signature then noise: a 10 MB "image" as far as any check of leading bytes goes.
        byte[] image = new byte[SIZE];
        new Random(11).nextBytes(image);
        System.arraycopy(Form.png(false), 0, image, 0, 16);
        imageSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        body = Files.createTempFile("ideogram-upload-", ".multipart");
        try (OutputStream out = Files.newOutputStream(body)) {
            String b = "--" + Form.BOUNDARY + "\r\n";
            out.write((b + "Content-Disposition: form-data; name=\"seed\"\r\n\r\n\r\n").getBytes(UTF_8));
            out.write((b + "Content-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(UTF_8));
            out.write(image);
            out.write(("\r\n" + b + "Content-Disposition: form-data; name=\"prompt\"\r\n\r\na larger cat\r\n"
                    + b + "Content-Disposition: form-data; name=\"num_images\"\r\n\r\n\r\n"
                    + "--" + Form.BOUNDARY + "--\r\n").getBytes(UTF_8));
        }
    }

    @AfterAll
    void stop() throws Exception {
        ideogram.close();
        Files.deleteIfExists(body);
    }

    private CompletableFuture<HttpResponse<String>> upload() throws Exception {
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .sendAsync(HttpRequest.newBuilder(URI.create(ideogram.gw.baseUrl() + "/ideogram/v1/ideogram-v3/remix"))
                        .header("Authorization", "Bearer " + IdeogramGateway.USER_KEY)
                        .header("Content-Type", Form.contentType())
                        .POST(HttpRequest.BodyPublishers.ofFile(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTenMegabyteImageIsRelayedWithIdenticalBytes() throws Exception {
        ideogram.upstream.reset();
        long before = ideogram.balance();
        HttpResponse<String> response = upload().get(30, TimeUnit.SECONDS);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        FakeIdeogram.Upload image = ideogram.upstream.last().files().get("image").get(0);
        assertThat(image.length()).isEqualTo(SIZE);
        assertThat(image.sha256()).isEqualTo(imageSha256);
        assertThat(image.filename()).isEqualTo("big.png");
        assertThat(ideogram.upstream.last().fields()).containsOnlyKeys("prompt");
        assertThat(before - ideogram.balance()).isEqualTo(Usd.parse("0.06"));
    }

    /** Not a timed test: prints what the gateway holds on the heap halfway through relaying the upload. */
    @Test
    void heapGrowthWhileRelayingStaysFarBelowTheFileSize() throws Exception {
        // One upload first, so classes loaded and caches filled on first use are not counted as growth.
        assertThat(upload().get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        ideogram.upstream.reset();
        ideogram.upstream.pauseAfterBytes = SIZE / 2;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = usedAfterGc(memory);

        CompletableFuture<HttpResponse<String>> response = upload();
        ideogram.upstream.paused.get(30, TimeUnit.SECONDS);
        long halfway = usedAfterGc(memory);
        ideogram.upstream.resume.complete(null);

        assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // The two empty fields were dropped on the way: the upstream body is that much shorter.
        assertThat(ideogram.upstream.last().files().get("body").get(0).length()).isGreaterThan(SIZE)
                .isLessThan(Files.size(body));
        long growth = halfway - baseline;
        System.out.printf("ideogram 10 MB upload: heap growth halfway through the upstream relay %.2f MB"
                + " (file %.2f MB; the test client sends from a file, the fake upstream only digests)%n",
                growth / 1048576.0, SIZE / 1048576.0);
        assertThat(growth).isLessThan(SIZE / 4);
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
