package dev.antler.ideogram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every Ideogram endpoint through the real gateway to a fake Ideogram, as a plain client calls it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdeogramEndpointsTest {

    private static final byte[] CAT = Form.png(false);
    private static final byte[] MASK = Form.png(true);

    private IdeogramGateway ideogram;

    @BeforeAll
    void start() throws Exception {
        ideogram = new IdeogramGateway("");
    }

    @AfterAll
    void stop() throws Exception {
        ideogram.close();
    }

    @BeforeEach
    void resetUpstream() {
        ideogram.upstream.reset();
    }

    /** DeerAPI's documented curl for Edit, pointed at the gateway: bare key, real image and mask, empty fields. */
    @Test
    void theSeedPagesCurlWorks() {
        long before = ideogram.balance();
        HttpResponse<String> response = ideogram.post("/edit", new Form()
                .file("image_file", "cat.png", "image/png", CAT)
                .file("mask", "mask.png", "image/png", MASK)
                .field("prompt", "cat")
                .field("model", "V_2_TURBO")
                .field("magic_prompt_option", "")
                .field("seed", "")
                .field("style_type", "")
                .field("num_images", ""));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = IdeogramGateway.json(response);
        assertThat(body.path("created").isString()).isTrue();
        assertThat(body.path("created").stringValue()).isEqualTo(FakeIdeogram.CREATED);
        assertThat(body.path("data")).hasSize(1);
        assertThat(body.path("data").get(0).path("url").stringValue()).startsWith(ideogram.upstream.baseUrl());

        FakeIdeogram.Seen seen = ideogram.upstream.last();
        assertThat(seen.path()).isEqualTo("/edit");
        assertThat(seen.headers().get("Api-Key")).isEqualTo(FakeIdeogram.KEY);
        assertThat(seen.headers().contains("Authorization")).isFalse();
        assertThat(seen.fields()).containsOnlyKeys("prompt", "model");
        assertThat(seen.field("prompt")).isEqualTo("cat");
        assertThat(seen.field("model")).isEqualTo("V_2_TURBO");
        assertThat(seen.files()).containsOnlyKeys("image_file", "mask");
        assertThat(seen.files().get("image_file").get(0).bytes()).isEqualTo(CAT);
        assertThat(seen.files().get("image_file").get(0).filename()).isEqualTo("cat.png");
        assertThat(seen.files().get("mask").get(0).bytes()).isEqualTo(MASK);
        assertThat(seen.headers().get("Content-Type")).isEqualTo(Form.contentType());

        assertThat(before - ideogram.balance()).isEqualTo(Usd.parse("0.05"));
        assertThat(ideogram.balance()).isEqualTo(ideogram.ledgerSum());
        assertThat(ideogram.lastLog()).containsEntry("endpoint", "ideogram.edit").containsEntry("model", "V_2_TURBO");
    }

    @Test
    void legacyEditWithoutAModelGetsV2() {
        long before = ideogram.balance();
        HttpResponse<String> response = ideogram.post("/ideogram/edit", new Form()
                .png("image_file", CAT).png("mask", MASK).field("prompt", "a hat on the cat").field("num_images", "2"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        FakeIdeogram.Seen seen = ideogram.upstream.last();
        assertThat(seen.field("model")).isEqualTo("V_2");
        assertThat(seen.field("num_images")).isEqualTo("2");
        assertThat(seen.field("prompt")).isEqualTo("a hat on the cat");
        assertThat(before - ideogram.balance()).isEqualTo(2 * Usd.parse("0.08"));
    }

    @Test
    void anEmptyModelIsDroppedAndTheDefaultAdded() {
        HttpResponse<String> response = ideogram.post("/edit", new Form()
                .field("model", "").png("image_file", CAT).png("mask", MASK).field("prompt", "cat"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(ideogram.upstream.last().fields().get("model")).containsExactly("V_2");
    }

    /** path, body, upstream path, price of one image (or call), images. */
    Stream<Arguments> endpoints() {
        List<Arguments> cases = List.of(
                Arguments.of("/generate", (Function<IdeogramGateway, HttpResponse<String>>) g -> g.postJson(
                        "/ideogram/generate",
                        "{\"image_request\":{\"prompt\":\"a cat\",\"model\":\"V_2_TURBO\",\"num_images\":2}}"),
                        "0.05", 2),
                Arguments.of("/remix", form("/ideogram/remix", new Form().png("image_file", CAT)
                        .field("image_request", "{\"prompt\":\"a cat in space\",\"image_weight\":60}")), "0.08", 1),
                Arguments.of("/upscale", form("/ideogram/upscale", new Form().png("image_file", CAT)
                        .field("image_request", "{\"resemblance\":55,\"num_images\":1}")), "0.06", 1),
                Arguments.of("/describe", form("/ideogram/describe", new Form()
                        .file("image_file", "cat.jpg", "image/jpeg", Form.jpeg()).field("describe_model_version", "V_3")),
                        "0.01", 1),
                Arguments.of("/edit", form("/ideogram/edit", new Form().png("image_file", CAT).png("mask", MASK)
                        .field("prompt", "a hat").field("model", "V_2").field("style_type", "REALISTIC")), "0.08", 1),
                Arguments.of("/v1/ideogram-v3/generate", form("/ideogram/v1/ideogram-v3/generate", new Form()
                        .field("prompt", "a cat").field("rendering_speed", "TURBO").field("num_images", "3")
                        .field("aspect_ratio", "16x9")), "0.03", 3),
                Arguments.of("/v1/ideogram-v3/edit", form("/ideogram/v1/ideogram-v3/edit", new Form()
                        .png("image", CAT).png("mask", MASK).field("prompt", "a hat")
                        .field("rendering_speed", "QUALITY")), "0.09", 1),
                Arguments.of("/v1/ideogram-v3/remix", form("/ideogram/v1/ideogram-v3/remix", new Form()
                        .file("image", "cat.webp", "image/webp", Form.webp()).field("prompt", "a cat")
                        .field("image_weight", "40")), "0.06", 1),
                Arguments.of("/v1/ideogram-v3/reframe", form("/ideogram/v1/ideogram-v3/reframe", new Form()
                        .png("image", CAT).field("resolution", "1536x640").field("rendering_speed", "FLASH")),
                        "0.03", 1),
                Arguments.of("/v1/ideogram-v3/replace-background", form("/ideogram/v1/ideogram-v3/replace-background",
                        new Form().png("image", CAT).field("prompt", "a beach").field("rendering_speed", "BALANCED")
                                .field("magic_prompt", "OFF")), "0.06", 1));
        return cases.stream();
    }

    private static Function<IdeogramGateway, HttpResponse<String>> form(String path, Form form) {
        return g -> g.post(path, form);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void everyEndpointWorksUnderIdeogram(String nativePath, Function<IdeogramGateway, HttpResponse<String>> call,
                                         String price, int images) {
        long before = ideogram.balance();
        HttpResponse<String> response = call.apply(ideogram);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        FakeIdeogram.Seen seen = ideogram.upstream.last();
        assertThat(seen.path()).isEqualTo(nativePath);
        assertThat(seen.headers().get("Api-Key")).isEqualTo(FakeIdeogram.KEY);
        assertThat(seen.headers().contains("Authorization")).isFalse();
        JsonNode body = IdeogramGateway.json(response);
        if (nativePath.equals("/describe")) {
            assertThat(body.path("descriptions").get(0).path("text").stringValue()).isNotEmpty();
        } else {
            assertThat(body.path("created").stringValue()).isEqualTo(FakeIdeogram.CREATED);
            assertThat(body.path("data")).hasSize(images);
        }
        assertThat(before - ideogram.balance()).isEqualTo(images * Usd.parse(price));
        assertThat(ideogram.balance()).isEqualTo(ideogram.ledgerSum());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void everyEndpointWorksAtItsNativePath(String nativePath, Function<IdeogramGateway, HttpResponse<String>> call,
                                           String price, int images) {
        HttpResponse<String> response = call.apply(new IdeogramGateway.Rooted(ideogram));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(ideogram.upstream.last().path()).isEqualTo(nativePath);
    }

    @Test
    void theClientKeyIsNeverForwardedInAnyForm() {
        for (String header : new String[] {"Authorization", "x-api-key"}) {
            HttpResponse<String> response = ideogram.send(HttpRequest.newBuilder(
                            URI.create(ideogram.gw.baseUrl() + "/ideogram/v1/ideogram-v3/generate"))
                    .header(header, header.equals("Authorization") ? "Bearer " + IdeogramGateway.USER_KEY
                            : IdeogramGateway.USER_KEY)
                    .header("Content-Type", Form.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new Form().field("prompt", "x").bytes())).build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            FakeIdeogram.Seen seen = ideogram.upstream.last();
            assertThat(seen.headers().names()).noneMatch(n -> n.equalsIgnoreCase("Authorization")
                    || n.equalsIgnoreCase("x-api-key"));
            assertThat(seen.headers().get("Api-Key")).isEqualTo(FakeIdeogram.KEY);
        }
    }

    @Test
    void otherPathsPassThroughBilledPerCall() {
        long before = ideogram.balance();
        HttpResponse<String> transparent = ideogram.post("/ideogram/v1/ideogram-v3/generate-transparent?trace=1",
                new Form().field("prompt", "a logo").field("rendering_speed", "TURBO"));
        assertThat(transparent.statusCode()).as(transparent.body()).isEqualTo(200);
        FakeIdeogram.Seen seen = ideogram.upstream.last();
        assertThat(seen.path()).isEqualTo("/v1/ideogram-v3/generate-transparent");
        assertThat(seen.query()).isEqualTo("trace=1");
        assertThat(seen.fields()).containsKeys("prompt", "rendering_speed");

        HttpResponse<String> get = ideogram.send(HttpRequest.newBuilder(
                URI.create(ideogram.gw.baseUrl() + "/ideogram/manage/api/subscription"))
                .header("Authorization", "Bearer " + IdeogramGateway.USER_KEY).GET().build());
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(ideogram.upstream.last().method()).isEqualTo("GET");
        assertThat(ideogram.upstream.last().path()).isEqualTo("/manage/api/subscription");

        HttpResponse<String> json = ideogram.postJson("/ideogram/v1/ideogram-v4/generate", "{\"prompt\":\"x\"}");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertThat(new String(ideogram.upstream.last().body())).isEqualTo("{\"prompt\":\"x\"}");
        assertThat(ideogram.upstream.last().headers().get("Api-Key")).isEqualTo(FakeIdeogram.KEY);

        assertThat(before - ideogram.balance()).isEqualTo(3 * Usd.parse("0.10"));
        assertThat(ideogram.lastLog()).containsEntry("endpoint", "ideogram.other").containsEntry("model", "OTHER");
    }

    @Test
    void notGivenFieldsInsideImageRequestAreDroppedToo() {
        HttpResponse<String> response = ideogram.postJson("/generate",
                "{\"image_request\":{\"prompt\":\"a cat\",\"seed\":\"\",\"style_type\":\"\",\"num_images\":null}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode request = ideogram.upstream.last().json().path("image_request");
        assertThat(request.propertyNames()).containsExactly("prompt");

        HttpResponse<String> remix = ideogram.post("/remix", new Form().png("image_file", CAT)
                .field("image_request", "{\"prompt\":\"a cat\",\"magic_prompt_option\":\"\",\"model\":\"V_2A\"}"));
        assertThat(remix.statusCode()).as(remix.body()).isEqualTo(200);
        assertThat(ideogram.upstream.last().field("image_request")).isEqualTo("{\"prompt\":\"a cat\",\"model\":\"V_2A\"}");
    }

    @Test
    void channelsRouteByIdeogramModelAndMapIt() {
        long channel = IdeogramGateway.json(ideogram.admin("GET", "/api/admin/channels", null)).path("data").get(0)
                .path("id").asLong();
        String path = "/api/admin/channels/" + channel;
        try {
            assertThat(ideogram.admin("PATCH", path, "{\"models\":[\"V_3\"]}").statusCode()).isEqualTo(200);
            HttpResponse<String> legacy = ideogram.post("/edit", new Form().png("image_file", CAT).png("mask", MASK)
                    .field("prompt", "cat"));
            assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(404);
            assertThat(IdeogramGateway.json(legacy).path("error").stringValue()).startsWith("model: V_2 ");
            assertThat(ideogram.post("/v1/ideogram-v3/generate", new Form().field("prompt", "x")).statusCode())
                    .isEqualTo(200);

            assertThat(ideogram.admin("PATCH", path, "{\"models\":[],\"model_mapping\":{\"V_2\":\"V_2_TURBO\"}}")
                    .statusCode()).isEqualTo(200);
            long before = ideogram.balance();
            assertThat(ideogram.post("/edit", new Form().png("image_file", CAT).png("mask", MASK)
                    .field("prompt", "cat").field("model", "V_2")).statusCode()).isEqualTo(200);
            assertThat(ideogram.upstream.last().field("model")).isEqualTo("V_2_TURBO");
            assertThat(ideogram.postJson("/generate", "{\"image_request\":{\"prompt\":\"x\"}}").statusCode())
                    .isEqualTo(200);
            assertThat(ideogram.upstream.last().json().path("image_request").path("model").stringValue())
                    .isEqualTo("V_2_TURBO");
            assertThat(before - ideogram.balance()).as("priced as asked: V_2").isEqualTo(2 * Usd.parse("0.08"));
            assertThat(ideogram.lastLog()).containsEntry("model", "V_2").containsEntry("upstream_model", "V_2_TURBO");
        } finally {
            ideogram.admin("PATCH", path, "{\"models\":[],\"model_mapping\":{}}");
        }
    }

    @Test
    void anUntouchedJsonBodyIsForwardedByteForByte() {
        String json = "{ \"image_request\" : {\"prompt\": \"a cat\", \"model\": \"V_1\"} }";
        assertThat(ideogram.postJson("/ideogram/generate", json).statusCode()).isEqualTo(200);
        assertThat(new String(ideogram.upstream.last().body())).isEqualTo(json);
    }
}
