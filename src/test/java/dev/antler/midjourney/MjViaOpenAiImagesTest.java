package dev.antler.midjourney;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI SDK user asks {@code images.generate} for {@code midjourney}: an imagine is submitted as the native call
 * (priced {@code mj_imagine}), the request waits for it, and the grid comes back as the gateway's link or its bytes.
 */
class MjViaOpenAiImagesTest {

    private FakeMidjourney upstream;
    private GatewayHarness gw;
    private StoreView store;
    private OpenAIClient sdk;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeMidjourney();
        gw = GatewayHarness.start(MidjourneyFlowTest.yaml(upstream, "{ poll_interval_ms: 50 }"));
        store = new StoreView(gw);
        sdk = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey(MidjourneyFlowTest.ALICE)
                .maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        sdk.close();
        gw.close();
        upstream.close();
    }

    @Test
    void anImagineIsAwaitedAndItsGridLinkedThroughTheGateway() throws Exception {
        long before = store.balance("alice");
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder().model("midjourney")
                .prompt("a koi pond").size(ImageGenerateParams.Size._1792X1024).build());

        String url = response.data().orElseThrow().get(0).url().orElseThrow();
        assertThat(url).startsWith(gw.baseUrl() + "/results/").doesNotContain(upstream.baseUrl());
        HttpResponse<byte[]> image = gw.http().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.body()).isEqualTo(FakeMidjourney.PNG);
        assertThat(upstream.submits.get(0).path("prompt").asString()).isEqualTo("a koi pond --ar 7:4");
        gw.awaitLedger();
        assertThat(before - store.balance("alice")).as("an imagine's price").isPositive();
        assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void base64IsTheGridsBytesAndNAboveOneIsRefused() {
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder().model("midjourney-relax")
                .prompt("a koi pond").responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());
        assertThat(Base64.getDecoder().decode(response.data().orElseThrow().get(0).b64Json().orElseThrow()))
                .isEqualTo(FakeMidjourney.PNG);

        assertThatThrownBy(() -> sdk.images().generate(ImageGenerateParams.builder().model("midjourney")
                .prompt("two").n(2).build())).isInstanceOf(BadRequestException.class).hasMessageContaining("n: 2");
    }
}
