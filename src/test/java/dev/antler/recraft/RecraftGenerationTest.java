package dev.antler.recraft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.testing.FormData;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Recraft generation over real sockets: held for the {@code n} images asked for, charged per image returned at
 * the model's price (raster or vector), the default model sent upstream, the raster and vector routes, JSON
 * and multipart, a channel's model mapping; the balance always equals the ledger.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecraftGenerationTest {

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

    @Test
    void aGenerationWithoutModelIsSentAsRecraftV4AndChargedPerImage() {
        AtomicReference<HttpResponse<String>> response = new AtomicReference<>();
        long charged = recraft.charged(() -> response.set(recraft.postJson("/recraft/v1/images/generations",
                "{\"prompt\":\"a red fox in a snowy forest\",\"n\":2}")));

        assertThat(response.get().statusCode()).as(response.get().body()).isEqualTo(200);
        assertThat(charged).isEqualTo(2 * Usd.parse("0.04"));
        FakeRecraft.Seen seen = recraft.primary.last();
        assertThat(seen.path()).isEqualTo("/v1/images/generations");
        assertThat(seen.field("model")).as("Recraft's own default would be another model").isEqualTo("recraftv4");
        assertThat(seen.field("prompt")).isEqualTo("a red fox in a snowy forest");
        assertThat(seen.authorization()).isEqualTo("Bearer " + FakeRecraft.KEY);
        JsonNode body = RecraftGateway.json(response.get());
        assertThat(body.path("created").asLong()).isEqualTo(FakeRecraft.CREATED);
        assertThat(body.path("credits").asLong()).isEqualTo(80);
        assertThat(body.path("data")).hasSize(2);
        assertThat(body.path("data").get(0).path("image_id").stringValue()).isNotEmpty();
        Map<String, Object> log = recraft.lastLog();
        assertThat(log).containsEntry("model", "recraftv4").containsEntry("units", 2L)
                .containsEntry("cost_nanos", 2 * Usd.parse("0.04")).containsEntry("billed_basis", "reported")
                .containsEntry("endpoint", "recraft.generations");
    }

    @Test
    void chargesForTheImagesReturnedNeverMoreThanAskedFor() {
        recraft.primary.images = 2;
        assertThat(recraft.charged(() -> assertThat(recraft.postJson("/recraft/v1/images/generations",
                "{\"prompt\":\"cats\",\"n\":5,\"model\":\"recraftv3\"}").statusCode()).isEqualTo(200)))
                .isEqualTo(2 * Usd.parse("0.04"));
        recraft.primary.images = 6;
        assertThat(recraft.charged(() -> assertThat(recraft.postJson("/recraft/v1/images/generations",
                "{\"prompt\":\"cats\",\"n\":1}").statusCode()).isEqualTo(200)))
                .isEqualTo(Usd.parse("0.04"));
    }

    @Test
    void eachModelHasItsRasterOrVectorPrice() {
        Map<String, String> prices = Map.of("recraftv4", "0.04", "recraftv4_vector", "0.08", "recraftv4_pro", "0.25",
                "recraftv4_pro_vector", "0.30", "recraftv3", "0.04", "recraftv3_vector", "0.08", "recraftv2", "0.022",
                "recraftv2_vector", "0.044");
        prices.forEach((model, usd) -> assertThat(recraft.charged(() -> assertThat(recraft.postJson(
                "/recraft/v1/images/generations", "{\"prompt\":\"x\",\"model\":\"" + model + "\"}").statusCode())
                .isEqualTo(200))).as(model).isEqualTo(Usd.parse(usd)));
    }

    @Test
    void theRasterAndVectorRoutesTakeTheirOwnModels() {
        HttpResponse<String> vector = recraft.postJson("/recraft/v1/images/generations/vector", "{\"prompt\":\"logo\"}");
        assertThat(vector.statusCode()).as(vector.body()).isEqualTo(200);
        assertThat(recraft.primary.last().path()).isEqualTo("/v1/images/generations/vector");
        assertThat(recraft.primary.last().field("model")).isEqualTo("recraftv4_vector");
        assertThat(recraft.lastLog()).containsEntry("cost_nanos", Usd.parse("0.08"));

        HttpResponse<String> raster = recraft.postJson("/recraftAI/v1/images/generations/raster",
                "{\"prompt\":\"photo\",\"model\":\"recraftv4_pro\",\"size\":\"2048x2048\"}");
        assertThat(raster.statusCode()).as(raster.body()).isEqualTo(200);
        assertThat(recraft.primary.last().path()).isEqualTo("/v1/images/generations/raster");
        assertThat(recraft.lastLog()).containsEntry("cost_nanos", Usd.parse("0.25"));

        recraft.reset();
        HttpResponse<String> wrong = recraft.postJson("/recraft/v1/images/generations/raster",
                "{\"prompt\":\"photo\",\"model\":\"recraftv4_vector\"}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(RecraftGateway.json(wrong).path("message").stringValue()).isEqualTo("model: \"recraftv4_vector\""
                + " (expected: one of recraftv4, recraftv4_pro, recraftv3, recraftv2)");
        HttpResponse<String> style = recraft.postJson("/recraft/v1/images/generations/vector",
                "{\"prompt\":\"photo\",\"model\":\"recraftv3_vector\",\"style\":\"realistic_image\"}");
        assertThat(style.statusCode()).isEqualTo(400);
        assertThat(RecraftGateway.json(style).path("code").stringValue()).isEqualTo("invalid_style");
        assertThat(recraft.primary.seen).isEmpty();
    }

    @Test
    void aMultipartGenerationGetsTheDefaultModelAddedAndEmptyFieldsDropped() {
        FormData form = FormData.builder().field("prompt", "a lighthouse").field("n", "3").field("style", "")
                .field("size", "16:9").build();
        long charged = recraft.charged(() -> {
            HttpResponse<String> response = recraft.post("/recraft/v1/images/generations", form);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        });
        assertThat(charged).isEqualTo(3 * Usd.parse("0.04"));
        FakeRecraft.Seen seen = recraft.primary.last();
        assertThat(seen.multipart()).isTrue();
        assertThat(seen.form().parts()).extracting(FormData.Part::name).containsExactly("prompt", "n", "size", "model");
        assertThat(seen.field("model")).isEqualTo("recraftv4");
        assertThat(seen.field("n")).isEqualTo("3");
    }

    @Test
    void styleAndStyleIdPassOnV3() {
        HttpResponse<String> response = recraft.postJson("/recraft/v1/images/generations",
                "{\"prompt\":\"an icon\",\"model\":\"recraftv3\",\"style\":\"digital_illustration\","
                        + "\"substyle\":\"hand_drawn\",\"size\":\"1365x1024\",\"response_format\":\"url\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(recraft.primary.last().field("style")).isEqualTo("digital_illustration");
        assertThat(recraft.primary.last().json().toString()).as("forwarded as sent: model given, not mapped")
                .isEqualTo("{\"prompt\":\"an icon\",\"model\":\"recraftv3\",\"style\":\"digital_illustration\","
                        + "\"substyle\":\"hand_drawn\",\"size\":\"1365x1024\",\"response_format\":\"url\"}");
    }
}
