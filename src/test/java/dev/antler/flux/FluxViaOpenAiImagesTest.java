package dev.antler.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import dev.antler.billing.Usd;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An OpenAI SDK user asks {@code images.generate} for a Flux model: the Flux family's own submit makes the task
 * (billed as the native call), the request waits for it and answers OpenAI's images shape with the gateway's link.
 */
class FluxViaOpenAiImagesTest {

    private static final long OPENING = Usd.parse("10");
    private static final long FLUX2_PRO = Usd.parse("0.03");

    private FakeBfl upstream;
    private GatewayHarness gw;
    private StoreView store;
    private OpenAIClient sdk;
    private Path mirror;

    private void start(String tasks) throws Exception {
        upstream = new FakeBfl();
        mirror = Files.createTempDirectory("antler-flux-images-");
        gw = GatewayHarness.start("""
                channels: [{ name: bfl, type: flux, base_url: "%s", key: "%s" }]
                users: [{ name: alice, balance: 10, keys: [{ key: %s }] }]
                tasks: %s
                mirror: { enabled: true, directory: "%s", retention_hours: 2 }
                """.formatted(upstream.baseUrl(), FakeBfl.KEY, TestUsers.key("alice"), tasks, mirror));
        store = new StoreView(gw);
        sdk = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey(TestUsers.key("alice"))
                .maxRetries(0).build();
    }

    @AfterEach
    void stop() throws Exception {
        sdk.close();
        gw.close();
        upstream.close();
        try (var files = Files.walk(mirror)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static ImageGenerateParams.Builder flux2(String prompt) {
        return ImageGenerateParams.builder().model("flux-2-pro").prompt(prompt);
    }

    @Test
    void theSdkWaitsForTheTaskAndGetsTheGatewaysLink() throws Exception {
        start("{ poll_interval_ms: 100 }");
        ImagesResponse response = sdk.images().generate(flux2("a lighthouse at dusk")
                .size(ImageGenerateParams.Size._1024X1024).build());

        String url = response.data().orElseThrow().get(0).url().orElseThrow();
        assertThat(url).startsWith(gw.baseUrl() + "/results/");
        HttpResponse<byte[]> image = gw.http().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.body()).isEqualTo(FakeBfl.image(upstream.lastId));
        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("prompt").asString()).isEqualTo("a lighthouse at dusk");
        assertThat(sent.path("width").asInt()).isEqualTo(1024);
        assertThat(sent.path("height").asInt()).isEqualTo(1024);
        assertThat(store.onlyUsage("alice").endpoint()).isEqualTo("images.generations");
        assertThat(store.balance("alice")).isEqualTo(OPENING - FLUX2_PRO).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void base64IsTheImagesBytes() throws Exception {
        start("{ poll_interval_ms: 100 }");
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder().model("flux-kontext-pro")
                .prompt("a red fox").size(ImageGenerateParams.Size._1792X1024)
                .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());

        String b64 = response.data().orElseThrow().get(0).b64Json().orElseThrow();
        assertThat(Base64.getDecoder().decode(b64)).isEqualTo(FakeBfl.image(upstream.lastId));
        assertThat(upstream.submitted.get(0).path("aspect_ratio").asString()).isEqualTo("7:4");
    }

    @Test
    void aModeratedImageIsAnErrorAndRefundedOnce() throws Exception {
        start("{ poll_interval_ms: 100 }");
        upstream.outcome = "Content Moderated";
        assertThatThrownBy(() -> sdk.images().generate(flux2("something moderated").build()))
                .isInstanceOf(InternalServerException.class).hasMessageContaining("Content Moderated")
                .hasMessageContaining("refunded");
        gw.awaitLedger();
        assertThat(store.balance("alice")).isEqualTo(OPENING).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void anImageNotMadeInTimeIsA504NamingTheTaskToFetch() throws Exception {
        start("{ poll_interval_ms: 600000, image_wait_seconds: 1 }");
        assertThatThrownBy(() -> sdk.images().generate(flux2("slow").build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(504);
                    assertThat(e.getMessage()).contains("still running").contains("GET /flux/v1/get_result?id=")
                            .doesNotContain(upstream.lastId);
                });
        assertThat(store.balance("alice")).as("billed as the native submit; refunded if it fails")
                .isEqualTo(OPENING - FLUX2_PRO);
    }

    @Test
    void twoImagesAreRefusedUncharged() throws Exception {
        start("{ poll_interval_ms: 100 }");
        assertThatThrownBy(() -> sdk.images().generate(flux2("two").n(2).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("n: 2");
        assertThat(upstream.submitted).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }
}
