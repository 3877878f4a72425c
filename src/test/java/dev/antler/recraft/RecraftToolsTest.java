package dev.antler.recraft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.testing.FormData;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Each Recraft edit and tool endpoint reaches Recraft's own path, with JSON image URLs or multipart files, and
 * is priced by its operation: edits per image by model and output, tools per call, the earlier upscale names
 * as the new ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecraftToolsTest {

    private static final String IMAGE = "https://img.example.com/cat.png";
    private static final String MASK = "data:image/png;base64,iVBORw0KGgo=";

    private RecraftGateway recraft;

    @BeforeAll
    void start() throws Exception {
        recraft = new RecraftGateway("");
    }

    @AfterAll
    void stop() throws Exception {
        assertThat(recraft.balance()).isEqualTo(recraft.ledgerSum());
        recraft.close();
    }

    @BeforeEach
    void reset() {
        recraft.reset();
    }

    private long chargedJson(String path, String json) {
        return recraft.charged(() -> {
            HttpResponse<String> response = recraft.postJson(path, json);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        });
    }

    @Test
    void eachToolIsRoutedToItsPathAndChargedPerCall() {
        Map<String, String> tools = new LinkedHashMap<>();
        tools.put("vectorize", "0.01");
        tools.put("removeBackground", "0.01");
        tools.put("clarityUpscale", "0.004");
        tools.put("crispUpscale", "0.004");
        tools.put("generativeUpscale", "0.25");
        tools.put("creativeUpscale", "0.25");
        tools.forEach((tool, usd) -> {
            long charged = chargedJson("/recraft/v1/images/" + tool, "{\"image_url\":\"" + IMAGE + "\"}");
            assertThat(charged).as(tool).isEqualTo(Usd.parse(usd));
            assertThat(recraft.primary.last().path()).isEqualTo("/v1/images/" + tool);
            assertThat(recraft.primary.last().field("image_url")).isEqualTo(IMAGE);
            assertThat(recraft.primary.last().field("model")).as("tools take no model").isNull();
        });
        assertThat(recraft.lastLog()).containsEntry("model", "recraft_creativeUpscale").containsEntry("units", 1L)
                .containsEntry("billed_basis", "request").containsEntry("endpoint", "recraft.creativeUpscale");

        assertThat(chargedJson("/recraft/v1/images/eraseRegion",
                "{\"image_url\":\"" + IMAGE + "\",\"mask_url\":\"" + MASK + "\"}")).isEqualTo(Usd.parse("0.002"));
        assertThat(recraft.primary.last().path()).isEqualTo("/v1/images/eraseRegion");
    }

    @Test
    void aToolAnswerIsRecraftsImageEnvelope() {
        HttpResponse<String> response = recraft.postJson("/recraft/v1/images/vectorize", "{\"image_url\":\"" + IMAGE + "\"}");
        JsonNode body = RecraftGateway.json(response);
        assertThat(body.path("credits").asLong()).isEqualTo(10);
        assertThat(body.path("image").path("url").stringValue()).endsWith(".svg");
        assertThat(body.path("image").path("image_id").stringValue()).isNotEmpty();
    }

    @Test
    void editsArePricedPerImageByModelAndOutput() {
        assertThat(chargedJson("/recraft/v1/images/imageToImage",
                "{\"image_url\":\"" + IMAGE + "\",\"prompt\":\"winter\",\"strength\":0.4,\"n\":2}"))
                .as("default model recraftv4").isEqualTo(2 * Usd.parse("0.04"));
        assertThat(recraft.primary.last().path()).isEqualTo("/v1/images/imageToImage");
        assertThat(recraft.primary.last().field("model")).isEqualTo("recraftv4");
        assertThat(recraft.lastLog()).containsEntry("model", "recraftv4").containsEntry("endpoint", "recraft.imageToImage");

        assertThat(chargedJson("/recraft/v1/images/imageToImage", "{\"image_url\":\"" + IMAGE
                + "\",\"prompt\":\"winter\",\"strength\":1,\"model\":\"recraftv4_pro_vector\"}")).isEqualTo(Usd.parse("0.30"));
        assertThat(chargedJson("/recraft/v1/images/inpaint", "{\"image_url\":\"" + IMAGE + "\",\"mask_url\":\"" + MASK
                + "\",\"prompt\":\"a bicycle\"}")).as("default model recraftv3").isEqualTo(Usd.parse("0.04"));
        assertThat(recraft.primary.last().field("model")).isEqualTo("recraftv3");
        assertThat(chargedJson("/recraft/v1/images/replaceBackground", "{\"image_url\":\"" + IMAGE
                + "\",\"prompt\":\"a beach\",\"model\":\"recraftv3_vector\",\"n\":3}")).isEqualTo(3 * Usd.parse("0.08"));
        assertThat(recraft.primary.last().path()).isEqualTo("/v1/images/replaceBackground");
        assertThat(chargedJson("/recraft/v1/images/generateBackground", "{\"image_url\":\"" + IMAGE + "\",\"mask_url\":\""
                + MASK + "\",\"prompt\":\"a studio\"}")).isEqualTo(Usd.parse("0.04"));
        assertThat(recraft.primary.last().path()).isEqualTo("/v1/images/generateBackground");
    }

    @Test
    void multipartToolsAndEditsSendTheirFiles() {
        byte[] image = FakeRecraft.PNG;
        long charged = recraft.charged(() -> assertThat(recraft.post("/recraft/v1/images/removeBackground",
                FormData.builder().file("image", "cat.png", "image/png", image).field("response_format", "url").build())
                .statusCode()).isEqualTo(200));
        assertThat(charged).isEqualTo(Usd.parse("0.01"));
        FakeRecraft.Seen seen = recraft.primary.last();
        assertThat(seen.path()).isEqualTo("/v1/images/removeBackground");
        assertThat(seen.form().part("image").orElseThrow().content()).isEqualTo(image);
        assertThat(seen.form().part("image").orElseThrow().filename()).isEqualTo("cat.png");
        assertThat(seen.form().parts()).extracting(FormData.Part::name).containsExactly("image", "response_format");

        charged = recraft.charged(() -> assertThat(recraft.post("/recraft/v1/images/inpaint", FormData.builder()
                .file("image", "cat.png", "image/png", image).file("mask", "mask.png", "image/png", image)
                .field("prompt", "a hat").field("n", "2").build()).statusCode()).isEqualTo(200));
        assertThat(charged).isEqualTo(2 * Usd.parse("0.04"));
        assertThat(recraft.primary.last().form().parts()).extracting(FormData.Part::name)
                .containsExactly("image", "mask", "prompt", "n", "model");
    }

    @Test
    void aStyleIsCreatedFromReferenceImagesPerCall() {
        long charged = recraft.charged(() -> {
            HttpResponse<String> response = recraft.post("/recraft/v1/styles", FormData.builder()
                    .field("style", "digital_illustration").file("images", "a.png", "image/png", FakeRecraft.PNG)
                    .file("images", "b.png", "image/png", FakeRecraft.PNG).build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(RecraftGateway.json(response).path("id").stringValue()).hasSize(36);
        });
        assertThat(charged).isEqualTo(Usd.parse("0.04"));
        assertThat(recraft.primary.last().path()).isEqualTo("/v1/styles");
        assertThat(recraft.lastLog()).containsEntry("model", "recraft_styles");

        assertThat(chargedJson("/recraft/v1/styles", "{\"style\":\"any\",\"image_urls\":[\"" + IMAGE + "\"]}"))
                .isEqualTo(Usd.parse("0.04"));
    }
}
