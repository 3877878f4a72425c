package dev.antler.ideogram;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.Spool;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Bad input is refused in Ideogram's error shape, naming the field, before anything is held, charged or
 * sent upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdeogramValidationTest {

    private static final byte[] CAT = Form.png(false);
    private static final byte[] MASK = Form.png(true);
    private static final byte[] GIF = "GIF89a\u0001\u0000\u0001\u0000\u0080\u0000\u0000".getBytes(UTF_8);
    private static final String JSON = "application/json";

    private IdeogramGateway ideogram;

    @BeforeAll
    void start() throws Exception {
        ideogram = new IdeogramGateway("");
    }

    @AfterAll
    void stop() throws Exception {
        ideogram.close();
    }

    private record Body(byte[] bytes, String contentType) {}

    private static Supplier<Body> form(Form form) {
        return () -> new Body(form.bytes(), Form.contentType());
    }

    private static Supplier<Body> json(String json) {
        return () -> new Body(json.getBytes(UTF_8), JSON);
    }

    /** A valid legacy edit with one field set to {@code value} ({@code null}: left out). */
    private static Form edit(String field, String value) {
        Form form = new Form().png("image_file", CAT).png("mask", MASK);
        for (String[] f : new String[][] {{"prompt", "cat"}, {"model", "V_2"}}) {
            if (!f[0].equals(field)) {
                form.field(f[0], f[1]);
            }
        }
        if (value != null) {
            form.field(field, value);
        }
        return form;
    }

    private static Form v3(String... fields) {
        Form form = new Form();
        for (int i = 0; i < fields.length; i += 2) {
            form.field(fields[i], fields[i + 1]);
        }
        return form;
    }

    Stream<Arguments> badRequests() {
        byte[] tooLarge = Arrays.copyOf(CAT, (int) ImageChecks.MAX_IMAGE_BYTES + 1);
        return Stream.of(
                Arguments.of("/edit", form(new Form().png("mask", MASK).field("prompt", "cat")), 400,
                        "image_file: missing or empty"),
                Arguments.of("/edit", form(new Form().png("image_file", CAT).file("mask", "", "application/octet-stream",
                        new byte[0]).field("prompt", "cat")), 400, "mask: missing or empty"),
                Arguments.of("/edit", form(edit("prompt", null)), 400, "prompt: missing or empty"),
                Arguments.of("/edit", form(edit("prompt", "")), 400, "prompt: missing or empty"),
                Arguments.of("/edit", form(edit("model", "V_3")), 400,
                        "model: \"V_3\" (expected: one of V_2, V_2_TURBO)"),
                Arguments.of("/edit", form(edit("magic_prompt_option", "MAYBE")), 400,
                        "magic_prompt_option: \"MAYBE\" (expected: one of AUTO, ON, OFF)"),
                Arguments.of("/edit", form(edit("num_images", "9")), 400,
                        "num_images: \"9\" (expected: an integer from 1 to 8)"),
                Arguments.of("/edit", form(edit("num_images", "0")), 400, "num_images: \"0\""),
                Arguments.of("/edit", form(edit("num_images", "9223372036854775807")), 400,
                        "num_images: \"9223372036854775807\" (expected: an integer from 1 to 8)"),
                Arguments.of("/edit", form(edit("num_images", "9223372036854775808")), 400,
                        "num_images: \"9223372036854775808\" (expected: an integer from 1 to 8)"),
                Arguments.of("/edit", form(edit("seed", "-1")), 400,
                        "seed: \"-1\" (expected: an integer from 0 to 2147483647)"),
                Arguments.of("/edit", form(edit("seed", "2147483648")), 400, "seed: \"2147483648\""),
                Arguments.of("/edit", form(edit("seed", "abc")), 400, "seed: \"abc\""),
                Arguments.of("/edit", form(edit("seed", "5").field("seed", "6")), 400,
                        "seed: given 2 times (expected: at most once)"),
                Arguments.of("/edit", form(edit("style_type", "WATERCOLOR")), 400, "style_type: \"WATERCOLOR\""),
                Arguments.of("/ideogram/edit", form(new Form().file("image_file", "cat.gif", "image/gif", GIF)
                        .png("mask", MASK).field("prompt", "cat")), 400,
                        "image_file: a file starting with bytes 474946383961"),
                Arguments.of("/ideogram/edit", form(new Form().file("image_file", "big.png", "image/png", tooLarge)
                        .png("mask", MASK).field("prompt", "cat")), 413,
                        "image_file: 10485761 bytes (expected: at most 10485760 bytes, 10 MB, per image)"),
                Arguments.of("/ideogram/edit", json("{\"prompt\":\"cat\"}"), 415, "Content-Type: application/json"),
                Arguments.of("/generate", json("{}"), 400, "image_request: missing or empty"),
                Arguments.of("/generate", json("[1]"), 400, "request body: not a JSON object"),
                Arguments.of("/generate", json("{\"image_request\":"), 400, "request body: not valid JSON"),
                Arguments.of("/generate", json("{\"image_request\":{\"model\":\"V_2\"}}"), 400,
                        "image_request.prompt: missing or empty"),
                Arguments.of("/generate", json("{\"image_request\":{\"prompt\":\"x\",\"model\":\"V_9\"}}"), 400,
                        "image_request.model: \"V_9\""),
                Arguments.of("/generate", json("{\"image_request\":{\"prompt\":\"x\",\"aspect_ratio\":\"16x9\"}}"), 400,
                        "image_request.aspect_ratio: \"16x9\""),
                Arguments.of("/generate", json("{\"image_request\":{\"prompt\":\"x\",\"resolution\":\"1024x1024\"}}"),
                        400, "image_request.resolution: \"1024x1024\" (expected: one of Ideogram's 78 values"),
                Arguments.of("/generate", json("{\"image_request\":{\"prompt\":\"x\",\"num_images\":\"2\"}}"), 400,
                        "image_request.num_images: \"2\" (expected: an integer from 1 to 8)"),
                Arguments.of("/generate", json("{\"image_request\":{\"prompt\":\"x\",\"num_images\":4611686018427387904}}"),
                        400, "image_request.num_images: 4611686018427387904 (expected: an integer from 1 to 8)"),
                Arguments.of("/generate", json("{\"image_request\":{\"prompt\":\"x\",\"num_images\":9223372036854775808}}"),
                        400, "image_request.num_images: 9223372036854775808 (expected: an integer from 1 to 8)"),
                Arguments.of("/generate", json("{\"image_request\":{\"prompt\":\"x\",\"seed\":1.5}}"), 400,
                        "image_request.seed: 1.5"),
                Arguments.of("/remix", form(new Form().png("image_file", CAT).field("image_request", "prompt=x")), 400,
                        "image_request: not JSON"),
                Arguments.of("/remix", form(new Form().png("image_file", CAT)
                        .field("image_request", "{\"prompt\":\"x\",\"image_weight\":101}")), 400,
                        "image_request.image_weight: 101 (expected: an integer from 1 to 100)"),
                Arguments.of("/remix", form(new Form().field("image_request", "{\"prompt\":\"x\"}")), 400,
                        "image_file: missing or empty"),
                Arguments.of("/upscale", form(new Form().png("image_file", CAT)), 400, "image_request: missing or empty"),
                Arguments.of("/upscale", form(new Form().png("image_file", CAT)
                        .field("image_request", "{\"resemblance\":0}")), 400, "image_request.resemblance: 0"),
                Arguments.of("/describe", form(new Form().png("image_file", CAT).field("describe_model_version", "V_9")),
                        400, "describe_model_version: \"V_9\" (expected: one of V_2, V_3)"),
                Arguments.of("/describe", form(new Form().field("describe_model_version", "V_3")), 400,
                        "image_file: missing or empty"),
                Arguments.of("/v1/ideogram-v3/generate", form(v3("rendering_speed", "FAST")), 400,
                        "prompt: missing or empty"),
                Arguments.of("/v1/ideogram-v3/generate", form(v3("prompt", "x", "rendering_speed", "FAST")), 400,
                        "rendering_speed: \"FAST\" (expected: one of FLASH, TURBO, BALANCED, DEFAULT, QUALITY)"),
                Arguments.of("/v1/ideogram-v3/generate", form(v3("prompt", "x", "aspect_ratio", "ASPECT_16_9")), 400,
                        "aspect_ratio: \"ASPECT_16_9\""),
                Arguments.of("/v1/ideogram-v3/generate", form(v3("prompt", "x", "resolution", "1000x1000")), 400,
                        "resolution: \"1000x1000\" (expected: one of Ideogram's 69 values"),
                Arguments.of("/v1/ideogram-v3/generate", form(v3("prompt", "x", "resolution", "1024x1024",
                        "aspect_ratio", "1x1")), 400, "aspect_ratio: \"1x1\" (expected: not together with resolution"),
                Arguments.of("/v1/ideogram-v3/generate", form(v3("prompt", "x", "magic_prompt", "YES")), 400,
                        "magic_prompt: \"YES\""),
                Arguments.of("/v1/ideogram-v3/generate", form(v3("prompt", "x", "style_type", "RENDER_3D")), 400,
                        "style_type: \"RENDER_3D\""),
                Arguments.of("/v1/ideogram-v3/generate", form(v3("prompt", "x", "num_images", "12")), 400,
                        "num_images: \"12\""),
                Arguments.of("/v1/ideogram-v3/generate", form(v3("prompt", "x").file("character_reference_images",
                        "face.gif", "image/gif", GIF)), 400, "character_reference_images: a file starting with bytes"),
                Arguments.of("/v1/ideogram-v3/edit", form(new Form().png("image", CAT).field("prompt", "x")), 400,
                        "mask: missing or empty"),
                Arguments.of("/v1/ideogram-v3/remix", form(v3("prompt", "x")), 400, "image: missing or empty"),
                Arguments.of("/v1/ideogram-v3/remix", form(new Form().png("image", CAT).field("prompt", "x")
                        .field("image_weight", "0")), 400, "image_weight: \"0\""),
                Arguments.of("/v1/ideogram-v3/reframe", form(new Form().png("image", CAT)), 400,
                        "resolution: missing or empty"),
                Arguments.of("/v1/ideogram-v3/replace-background", form(new Form().png("image", CAT)), 400,
                        "prompt: missing or empty"),
                Arguments.of("/v1/ideogram-v3/replace-background", form(new Form().png("image", CAT)
                        .png("image", CAT).field("prompt", "x")), 400, "image: 2 files (expected: one image)"));
    }

    @ParameterizedTest(name = "{0} {4}")
    @MethodSource("badRequests")
    void badInputIsRefusedNamingTheFieldUnchargedAndNeverSentUpstream(String path, Supplier<Body> body, int status,
                                                                     String message) {
        long balance = ideogram.balance();
        long logs = ideogram.logCount();
        int seen = ideogram.upstream.seen.size();
        Body request = body.get();

        HttpResponse<String> response = ideogram.post(path, request.bytes(), request.contentType());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode error = IdeogramGateway.json(response);
        assertThat(error.path("error").isString()).as(response.body()).isTrue();
        assertThat(error.path("error").stringValue()).startsWith(message);
        assertThat(error.path("code").stringValue()).isNotEmpty();
        assertThat(error.path("request_id").stringValue()).isEqualTo(response.headers().firstValue("X-Request-Id")
                .orElseThrow());
        assertThat(ideogram.upstream.seen).hasSize(seen);
        assertThat(ideogram.balance()).isEqualTo(balance);
        assertThat(ideogram.logCount()).isEqualTo(logs);
        assertThat(Spool.files()).as("spooled uploads left behind").isEmpty();
    }
}
