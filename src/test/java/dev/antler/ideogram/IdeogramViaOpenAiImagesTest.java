package dev.antler.ideogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An OpenAI SDK user asks {@code images.generate} for an Ideogram model: the Ideogram family serves it (its own
 * checks, routing and prices — billed exactly as the native call) and the answer is OpenAI's images shape.
 */
class IdeogramViaOpenAiImagesTest {

    private IdeogramGateway ideogram;
    private OpenAIClient sdk;

    private void start(String extraYaml) throws Exception {
        ideogram = new IdeogramGateway(extraYaml);
        sdk = OpenAIOkHttpClient.builder().baseUrl(ideogram.gw.baseUrl() + "/v1").apiKey(IdeogramGateway.USER_KEY)
                .maxRetries(0).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (sdk != null) {
            sdk.close();
        }
        if (ideogram != null) {
            ideogram.close();
        }
    }

    private long charged(Runnable call) {
        long before = ideogram.balance();
        call.run();
        return before - ideogram.balance();
    }

    @Test
    void theSdksImagesGenerateIsServedByIdeogramAndBilledAsTheNativeCall() throws Exception {
        start("");
        ImagesResponse[] response = new ImagesResponse[1];
        long viaOpenAi = charged(() -> response[0] = sdk.images().generate(ImageGenerateParams.builder()
                .model("ideogram-v3").prompt("a cat in a hat").n(2).size(ImageGenerateParams.Size._1024X1024)
                .build()));

        assertThat(response[0].data().orElseThrow()).hasSize(2).allSatisfy(image ->
                assertThat(image.url().orElseThrow()).startsWith(ideogram.upstream.baseUrl() + "/images/"));
        assertThat(response[0].data().orElseThrow().get(0).revisedPrompt()).hasValue("a cat, 0");
        FakeIdeogram.Seen seen = ideogram.upstream.last();
        assertThat(seen.path()).isEqualTo("/generate");
        JsonNode request = seen.json().path("image_request");
        assertThat(request.path("model").asString()).isEqualTo("V_3");
        assertThat(request.path("num_images").asInt()).isEqualTo(2);
        assertThat(request.path("resolution").asString()).isEqualTo("RESOLUTION_1024_1024");
        assertThat(ideogram.lastLog()).containsEntry("endpoint", "images.generations");

        long nativeCall = charged(() -> assertThat(ideogram.postJson("/ideogram/generate",
                "{\"image_request\":{\"prompt\":\"a cat in a hat\",\"model\":\"V_3\",\"num_images\":2,"
                        + "\"resolution\":\"RESOLUTION_1024_1024\"}}").statusCode()).isEqualTo(200));
        assertThat(viaOpenAi).isPositive().isEqualTo(nativeCall);
        assertThat(ideogram.balance()).isEqualTo(ideogram.ledgerSum());
    }

    @Test
    void base64IsTheImagesBytesAndASizeBecomesAnAspectRatio() throws Exception {
        start("");
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder().model("V_2A_TURBO")
                .prompt("a cat").size(ImageGenerateParams.Size._1792X1024)
                .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());

        String b64 = response.data().orElseThrow().get(0).b64Json().orElseThrow();
        assertThat(Base64.getDecoder().decode(b64)).isEqualTo(FakeIdeogram.RESULT_IMAGE);
        assertThat(response.data().orElseThrow().get(0).url()).isEmpty();
        JsonNode request = ideogram.upstream.last().json().path("image_request");
        assertThat(request.path("aspect_ratio").asString()).isEqualTo("ASPECT_16_9");
        assertThat(request.path("model").asString()).isEqualTo("V_2A_TURBO");
    }

    @Test
    void aSizeIdeogramCannotMakeIsRefusedInOpenAisShapeUncharged() throws Exception {
        start("");
        long before = ideogram.balance();
        int calls = ideogram.upstream.seen.size();
        assertThatThrownBy(() -> sdk.images().generate(ImageGenerateParams.builder().model("ideogram-v2")
                .prompt("a cat").size(ImageGenerateParams.Size.of("1000x100")).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("size: 1000x100").hasMessageContaining("1:1");
        var raw = ideogram.postJson("/v1/images/generations", "{\"model\":\"ideogram-v3\"}");
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(IdeogramGateway.json(raw).path("error").path("message").asString()).contains("prompt");
        assertThat(ideogram.balance()).isEqualTo(before);
        assertThat(ideogram.upstream.seen.size()).isEqualTo(calls);
    }

    @Test
    void withMirroringTheUrlsAreTheGatewaysCopies() throws Exception {
        Path directory = Files.createTempDirectory("antler-mirror-");
        start("mirror: { enabled: true, directory: \"%s\" }\n".formatted(directory));
        ImagesResponse response = sdk.images().generate(ImageGenerateParams.builder().model("ideogram-v3")
                .prompt("a cat").build());

        String url = response.data().orElseThrow().get(0).url().orElseThrow();
        assertThat(url).startsWith(ideogram.gw.baseUrl() + "/files/");
        var image = ideogram.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).GET().build());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.body()).isNotEmpty();
    }
}
