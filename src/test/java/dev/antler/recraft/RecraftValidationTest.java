package dev.antler.recraft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FormData;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Bad input is refused in Recraft's {@code {code, message}} shape with a message naming the field and what it
 * takes — never charged, never logged as a charge, never sent upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecraftValidationTest {

    private RecraftGateway recraft;
    private long balance;

    @BeforeAll
    void start() throws Exception {
        recraft = new RecraftGateway("");
    }

    @AfterAll
    void stop() throws Exception {
        recraft.close();
    }

    @BeforeEach
    void remember() {
        recraft.reset();
        balance = recraft.balance();
    }

    @AfterEach
    void nothingWasChargedOrSent() {
        assertThat(recraft.balance()).isEqualTo(balance);
        assertThat(recraft.primary.seen).isEmpty();
        assertThat(recraft.backup.seen).isEmpty();
    }

    private JsonNode refused(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = RecraftGateway.json(response);
        assertThat(body.path("code").stringValue()).isEqualTo(code);
        assertThat(body.path("request_id").stringValue()).isEqualTo(response.headers().firstValue("X-Request-Id")
                .orElseThrow());
        return body;
    }

    private String message(String path, String json, String code) {
        return refused(recraft.postJson(path, json), 400, code).path("message").stringValue();
    }

    @Test
    void anUnknownModelNamesTheAllowedOnes() {
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"model\":\"recraftv5\"}", "invalid_model"))
                .isEqualTo("model: \"recraftv5\" (expected: one of recraftv4, recraftv4_vector, recraftv4_pro,"
                        + " recraftv4_pro_vector, recraftv3, recraftv3_vector, recraftv2, recraftv2_vector)");
        assertThat(message("/recraft/v1/images/inpaint", "{\"prompt\":\"x\",\"model\":\"recraftv4\","
                + "\"image_url\":\"https://a/b.png\",\"mask_url\":\"https://a/m.png\"}", "invalid_model"))
                .isEqualTo("model: \"recraftv4\" (expected: one of recraftv3, recraftv3_vector)");
    }

    @Test
    void styleIsForV2AndV3Only() {
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"style\":\"digital_illustration\"}",
                "invalid_style")).startsWith("style: given with model recraftv4 (expected: not given: style, style_id"
                + " and substyle apply to the V2 and V3 models only");
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"model\":\"recraftv4_pro\","
                + "\"style_id\":\"229b2a75-05e4-4580-85f9-b47ee521a00d\"}", "invalid_style_id"))
                .startsWith("style_id: given with model recraftv4_pro");
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"model\":\"recraftv3\","
                + "\"style\":\"any\",\"style_id\":\"229b2a75-05e4-4580-85f9-b47ee521a00d\"}", "invalid_style_id"))
                .isEqualTo("style_id: given with style (expected: one of style or style_id, not both)");
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"style_reference_urls\":"
                + "[\"https://a/b.png\"]}", "invalid_style_reference_urls")).startsWith("style_reference_urls: given");
    }

    @Test
    void aSizeMustBeOneOfTheModelsOwn() {
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"size\":\"1365x1024\"}", "invalid_size"))
                .startsWith("size: \"1365x1024\" (expected: an aspect ratio w:h, one of 10:14, 14:10, 16:9, 1:1,")
                .contains("or a size WxH of recraftv4, one of 1024x1024, 1152x896,");
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"model\":\"recraftv4_pro\","
                + "\"size\":\"1024x1024\"}", "invalid_size")).contains("a size WxH of recraftv4_pro, one of 1536x2688,");
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"size\":\"7:3\"}", "invalid_size"))
                .startsWith("size: \"7:3\"");
    }

    @Test
    void countsPromptsAndFormatsAreChecked() {
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"n\":7}", "invalid_n"))
                .isEqualTo("n: \"7\" (expected: an integer from 1 to 6)");
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"n\":0}", "invalid_n"))
                .isEqualTo("n: \"0\" (expected: an integer from 1 to 6)");
        assertThat(message("/recraft/v1/images/generations", "{\"n\":1}", "missing_prompt"))
                .isEqualTo("prompt: missing or empty (expected: a text describing the image)");
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"" + "x".repeat(1001)
                + "\",\"model\":\"recraftv3\"}", "invalid_prompt"))
                .isEqualTo("prompt: 1001 characters (expected: at most 1000 with model recraftv3)");
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":\"x\",\"response_format\":\"multipart\"}",
                "invalid_response_format")).isEqualTo("response_format: \"multipart\" (expected: one of url, b64_json)");
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":{\"text\":\"x\"}}", "invalid_prompt"))
                .isEqualTo("prompt: an object (expected: a string or a number)");
        assertThat(message("/recraft/v1/images/generations", "[1]", "invalid_json"))
                .isEqualTo("request body: array (expected: a JSON object)");
        assertThat(message("/recraft/v1/images/generations", "{\"prompt\":", "invalid_json"))
                .isEqualTo("request body: not valid JSON (expected: a JSON object)");
    }

    @Test
    void inputImagesAreRequired() {
        assertThat(message("/recraft/v1/images/vectorize", "{}", "missing_image_url"))
                .isEqualTo("image_url: missing or empty (expected: the image's http(s) URL or a data: URL)");
        assertThat(message("/recraft/v1/images/eraseRegion", "{\"image_url\":\"https://a/b.png\"}", "missing_mask_url"))
                .startsWith("mask_url: missing or empty");
        assertThat(message("/recraft/v1/images/removeBackground", "{\"image_url\":\"file:///etc/passwd\"}",
                "invalid_image_url")).isEqualTo("image_url: \"file:///etc/passwd\" (expected: the image's http(s) URL"
                + " or a data: URL)");
        assertThat(message("/recraft/v1/styles", "{\"image_urls\":[]}", "missing_image_urls"))
                .startsWith("image_urls: missing or empty (expected: an array of one or more images");
        assertThat(message("/recraft/v1/images/imageToImage", "{\"image_url\":\"https://a/b.png\",\"prompt\":\"x\"}",
                "missing_strength")).startsWith("strength: missing or empty");
        assertThat(message("/recraft/v1/images/imageToImage", "{\"image_url\":\"https://a/b.png\",\"prompt\":\"x\","
                + "\"strength\":1.5}", "invalid_strength")).isEqualTo("strength: \"1.5\" (expected: a number from 0.0 to 1.0)");

        JsonNode form = refused(recraft.post("/recraft/v1/images/crispUpscale", FormData.builder()
                .field("response_format", "url").build()), 400, "missing_image");
        assertThat(form.path("message").stringValue())
                .isEqualTo("image: missing or empty (expected: an image file (PNG, JPG, WEBP or SVG) of at most 10 MB)");
        refused(recraft.post("/recraft/v1/images/inpaint", FormData.builder().file("image", "a.png", "image/png",
                FakeRecraft.PNG).file("mask", "m.png", "image/png", new byte[0]).field("prompt", "x").build()), 400,
                "missing_mask");
        refused(recraft.post("/recraft/v1/images/generations", FormData.builder().field("prompt", "x")
                .field("n", "2").field("n", "3").build()), 400, "invalid_n");
    }

    @Test
    void aWrongContentTypeOrRouteIsRefusedInRecraftsShape() {
        HttpResponse<String> text = recraft.send(HttpRequest.newBuilder(URI.create(recraft.gw.baseUrl()
                        + "/recraft/v1/images/generations"))
                .header("Authorization", "Bearer " + RecraftGateway.USER_KEY).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("a fox")).build());
        refused(text, 415, "unsupported_content_type");
        JsonNode unknown = refused(recraft.postJson("/recraft/v1/images/outpaint", "{}"), 404, "not_found");
        assertThat(unknown.path("message").stringValue()).startsWith("no route for POST /recraft/v1/images/outpaint"
                + " (expected: POST /recraft plus one of /v1/images/generations,");
        HttpResponse<String> get = recraft.send(HttpRequest.newBuilder(URI.create(recraft.gw.baseUrl()
                + "/recraft/v1/images/vectorize")).header("Authorization", "Bearer " + RecraftGateway.USER_KEY).GET().build());
        refused(get, 405, "method_not_allowed");
        HttpResponse<String> noKey = recraft.send(HttpRequest.newBuilder(URI.create(recraft.gw.baseUrl()
                + "/recraft/v1/images/vectorize")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"image_url\":\"https://a/b.png\"}")).build());
        refused(noKey, 401, "invalid_api_key");
    }

    @Test
    void anImageOverTenMegabytesIsRefusedBeforeItIsSent() {
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        System.arraycopy(FakeRecraft.PNG, 0, big, 0, FakeRecraft.PNG.length);
        JsonNode body = refused(recraft.post("/recraft/v1/images/vectorize", FormData.builder()
                .file("image", "big.png", "image/png", big).build()), 413, "request_too_large");
        assertThat(body.path("message").stringValue())
                .isEqualTo("image: 10485761 bytes (expected: at most 10485760 bytes, 10 MB, per image)");
    }
}
