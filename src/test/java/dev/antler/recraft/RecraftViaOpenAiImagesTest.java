package dev.antler.recraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An OpenAI SDK user asks {@code images.generate} for a Recraft model: the Recraft family serves it (its own checks,
 * routing and prices — billed exactly as the native call) and the answer is OpenAI's images shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecraftViaOpenAiImagesTest {

    private RecraftGateway recraft;
    private OpenAIClient sdk;

    @BeforeAll
    void start() throws Exception {
        recraft = new RecraftGateway("");
        sdk = OpenAIOkHttpClient.builder().baseUrl(recraft.gw.baseUrl() + "/v1").apiKey(RecraftGateway.USER_KEY)
                .maxRetries(0).build();
    }

    @AfterAll
    void stop() throws Exception {
        sdk.close();
        assertThat(recraft.balance()).isEqualTo(recraft.ledgerSum());
        recraft.close();
    }

    @BeforeEach
    void reset() {
        recraft.reset();
    }

    @Test
    void theSdksImagesGenerateIsServedByRecraftAndBilledAsTheNativeCall() {
        ImagesResponse[] response = new ImagesResponse[1];
        long viaOpenAi = recraft.charged(() -> response[0] = sdk.images().generate(ImageGenerateParams.builder()
                .model("recraftv4_vector").prompt("a fox logo").n(2).size(ImageGenerateParams.Size._1792X1024).build()));

        assertThat(response[0].data().orElseThrow()).hasSize(2).allSatisfy(image ->
                assertThat(image.url().orElseThrow()).startsWith(recraft.primary.baseUrl() + "/files/"));
        FakeRecraft.Seen seen = recraft.primary.last();
        assertThat(seen.path()).isEqualTo("/v1/images/generations");
        assertThat(seen.field("model")).isEqualTo("recraftv4_vector");
        assertThat(seen.field("n")).isEqualTo("2");
        assertThat(seen.field("size")).as("1792x1024 is no V4 size: its aspect ratio").isEqualTo("16:9");
        assertThat(recraft.lastLog()).containsEntry("endpoint", "images.generations")
                .containsEntry("model", "recraftv4_vector");

        long nativeCall = recraft.charged(() -> assertThat(recraft.postJson("/recraft/v1/images/generations",
                "{\"prompt\":\"a fox logo\",\"model\":\"recraftv4_vector\",\"n\":2}").statusCode()).isEqualTo(200));
        assertThat(viaOpenAi).isEqualTo(nativeCall).isEqualTo(2 * dev.antler.billing.Usd.parse("0.08"));
    }

    @Test
    void base64IsTheImagesBytes() {
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder().model("recraftv3")
                .prompt("a fox").size(ImageGenerateParams.Size._1024X1024)
                .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());

        String b64 = response.data().orElseThrow().get(0).b64Json().orElseThrow();
        assertThat(Base64.getDecoder().decode(b64)).isEqualTo(FakeRecraft.PNG);
        assertThat(recraft.primary.last().field("size")).isEqualTo("1024x1024");
    }

    @Test
    void recraftsOwnChecksAnswerInOpenAisShapeUncharged() {
        long before = recraft.balance();
        assertThatThrownBy(() -> sdk.images().generate(ImageGenerateParams.builder().model("recraftv4")
                .prompt("a fox").n(7).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("n: \"7\" (expected: an integer from 1 to 6)");
        assertThatThrownBy(() -> sdk.images().generate(ImageGenerateParams.builder().model("recraftv4")
                .prompt("a fox").size(ImageGenerateParams.Size.of("1000x100")).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("size: 1000x100");
        assertThat(recraft.balance()).isEqualTo(before);
        assertThat(recraft.primary.seen).isEmpty();
    }
}
