package dev.antler.ideogram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import java.net.URI;
import java.net.http.HttpRequest;
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
 * Ideogram billing: the hold covers the images asked for, the charge is the price of the images returned,
 * an upstream error refunds in full, prices differ per endpoint, model and rendering speed and can be
 * overridden; the balance always equals the ledger.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdeogramBillingTest {

    private static final byte[] CAT = Form.png(false);
    private static final byte[] MASK = Form.png(true);

    private IdeogramGateway ideogram;

    @BeforeAll
    void start() throws Exception {
        ideogram = new IdeogramGateway("""
                prices:
                  "ideogram/edit/V_2": { per_image: 0.07 }
                """);
    }

    @AfterAll
    void stop() throws Exception {
        assertThat(ideogram.balance()).isEqualTo(ideogram.ledgerSum());
        ideogram.close();
    }

    @BeforeEach
    void resetUpstream() {
        ideogram.upstream.reset();
    }

    private long charged(Runnable call) {
        long before = ideogram.balance();
        call.run();
        return before - ideogram.balance();
    }

    private HttpResponse<String> generateV3(String speed, int images) {
        return ideogram.post("/ideogram/v1/ideogram-v3/generate", new Form().field("prompt", "a cat")
                .field("rendering_speed", speed).field("num_images", Integer.toString(images)));
    }

    @Test
    void chargesForTheImagesReturnedNotTheImagesAskedFor() {
        ideogram.upstream.images = 2;
        long charged = charged(() -> assertThat(generateV3("QUALITY", 4).statusCode()).isEqualTo(200));
        assertThat(charged).isEqualTo(2 * Usd.parse("0.09"));
        Map<String, Object> log = ideogram.lastLog();
        assertThat(log).containsEntry("units", 2L).containsEntry("cost_nanos", 2 * Usd.parse("0.09"))
                .containsEntry("billed_basis", "reported").containsEntry("status_code", 200L);
    }

    @Test
    void neverChargesForMoreImagesThanWereAskedForAndHeld() {
        ideogram.upstream.images = 3;
        assertThat(charged(() -> assertThat(generateV3("TURBO", 1).statusCode()).isEqualTo(200)))
                .isEqualTo(Usd.parse("0.03"));
    }

    @Test
    void aSafetyRejectionPassesThroughAndIsRefundedInFull() {
        ideogram.upstream.status = 422;
        AtomicReference<HttpResponse<String>> response = new AtomicReference<>();
        long charged = charged(() -> response.set(generateV3("QUALITY", 8)));
        assertThat(charged).isZero();
        assertThat(response.get().statusCode()).isEqualTo(422);
        assertThat(response.get().body()).isEqualTo("{\"error\":\"Prompt failed the safety check.\"}");
        assertThat(ideogram.lastLog()).containsEntry("status_code", 422L).containsEntry("cost_nanos", 0L);
    }

    @Test
    void anUpstreamFailureIsAClearErrorAndRefundedInFull() {
        ideogram.upstream.status = 500;
        AtomicReference<HttpResponse<String>> response = new AtomicReference<>();
        long charged = charged(() -> response.set(ideogram.post("/edit", new Form().png("image_file", CAT)
                .png("mask", MASK).field("prompt", "cat").field("num_images", "4"))));
        assertThat(charged).isZero();
        assertThat(response.get().statusCode()).isEqualTo(502);
        JsonNode error = IdeogramGateway.json(response.get());
        assertThat(error.path("error").stringValue()).isEqualTo("the upstream failed with HTTP 500");
        assertThat(error.path("code").stringValue()).isEqualTo("upstream_error");
        assertThat(ideogram.lastLog()).containsEntry("cost_nanos", 0L);
    }

    @Test
    void pricesDifferPerRenderingSpeedAndCharacterReference() {
        assertThat(charged(() -> generateV3("FLASH", 1))).isEqualTo(Usd.parse("0.03"));
        assertThat(charged(() -> generateV3("TURBO", 2))).isEqualTo(2 * Usd.parse("0.03"));
        assertThat(charged(() -> generateV3("BALANCED", 1))).isEqualTo(Usd.parse("0.06"));
        assertThat(charged(() -> generateV3("QUALITY", 1))).isEqualTo(Usd.parse("0.09"));
        assertThat(charged(() -> ideogram.post("/v1/ideogram-v3/generate", new Form().field("prompt", "x"))))
                .as("no rendering_speed: DEFAULT").isEqualTo(Usd.parse("0.06"));
        assertThat(charged(() -> ideogram.post("/v1/ideogram-v3/generate", new Form().field("prompt", "x")
                .field("rendering_speed", "QUALITY").png("character_reference_images", CAT))))
                .as("with a character reference").isEqualTo(Usd.parse("0.20"));
    }

    @Test
    void pricesDifferPerEndpointAndModel() {
        assertThat(charged(() -> ideogram.postJson("/generate", "{\"image_request\":{\"prompt\":\"x\"}}")))
                .as("generate, default model V_2").isEqualTo(Usd.parse("0.08"));
        assertThat(charged(() -> ideogram.postJson("/generate",
                "{\"image_request\":{\"prompt\":\"x\",\"model\":\"V_2A_TURBO\",\"num_images\":4}}")))
                .isEqualTo(4 * Usd.parse("0.025"));
        assertThat(charged(() -> ideogram.post("/edit", new Form().png("image_file", CAT).png("mask", MASK)
                .field("prompt", "x")))).as("edit V_2, overridden in the config").isEqualTo(Usd.parse("0.07"));
        assertThat(charged(() -> ideogram.post("/upscale", new Form().png("image_file", CAT)
                .field("image_request", "{}")))).isEqualTo(Usd.parse("0.06"));
        assertThat(charged(() -> ideogram.post("/describe", new Form().png("image_file", CAT))))
                .as("describe, per call").isEqualTo(Usd.parse("0.01"));
        assertThat(ideogram.lastLog()).containsEntry("model", "V_3").containsEntry("units", 1L);
    }

    @Test
    void anIdeogramPriceIsOverriddenThroughTheAdminApi() {
        HttpResponse<String> put = ideogram.admin("PUT", "/api/admin/prices/ideogram/v3/reframe/TURBO",
                "{\"per_image\": 0.5}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(charged(() -> ideogram.post("/v1/ideogram-v3/reframe", new Form().png("image", CAT)
                .field("resolution", "1024x1024").field("rendering_speed", "TURBO").field("num_images", "2"))))
                .isEqualTo(2 * Usd.parse("0.5"));
        ideogram.admin("DELETE", "/api/admin/prices/ideogram/v3/reframe/TURBO", null);
        assertThat(charged(() -> ideogram.post("/v1/ideogram-v3/reframe", new Form().png("image", CAT)
                .field("resolution", "1024x1024").field("rendering_speed", "TURBO"))))
                .isEqualTo(Usd.parse("0.03"));
    }

    @Test
    void theHoldCoversTheImagesAskedForBeforeAnythingIsSent() {
        HttpResponse<String> user = ideogram.admin("POST", "/api/admin/users", "{\"name\":\"bob\",\"balance\":0.20}");
        assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
        long id = IdeogramGateway.json(user).path("id").asLong();
        String key = IdeogramGateway.json(ideogram.admin("POST", "/api/admin/users/" + id + "/keys", "{\"name\":\"k\"}"))
                .path("key").stringValue();
        HttpResponse<String> tooMany = ideogram.send(HttpRequest.newBuilder(
                        URI.create(ideogram.gw.baseUrl() + "/ideogram/v1/ideogram-v3/generate"))
                .header("Authorization", key).header("Content-Type", Form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(new Form().field("prompt", "x")
                        .field("rendering_speed", "QUALITY").field("num_images", "3").bytes())).build());
        assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(403);
        assertThat(IdeogramGateway.json(tooMany).path("code").stringValue()).isEqualTo("insufficient_quota");
        assertThat(ideogram.upstream.seen).isEmpty();
    }
}
