package dev.antler.runway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.accounts.Status;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Headers;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.SubmitReply;
import dev.antler.testing.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The submits as functions: a client request in, the upstream request out; the upstream's bytes in, a reply out. */
class RunwaySubmitTest {

    private static final Headers CLIENT = Headers.of("Authorization", "Bearer sk-client-key-1",
            "Content-Type", "application/json", "X-Runway-Version", "2024-11-06");
    private static final Channel OFFICIAL = channel("runway", "https://api.dev.runwayml.com",
            Map.of("gen4_turbo", "gen4_turbo_next"));
    private static final Channel RELAY = channel("runway-compat", "https://relay.example.test/", Map.of());

    private final RunwaySubmit imageToVideo = new RunwaySubmit(RunwayEndpoint.IMAGE_TO_VIDEO,
            client -> Json.object().put("result_token", "t"));
    private final CompatSubmit generate = new CompatSubmit(CompatAction.GENERATE, client -> Json.object(),
            (task, n) -> null);

    private static Channel channel(String type, String base, Map<String, String> mapping) {
        return new Channel(5, type + "-a", type, base, "key_upstream", Set.of(), mapping, 0, 1, Set.of("default"),
                Status.ACTIVE, null);
    }

    private static ClientRequest post(String path, String json) {
        return ClientRequest.post(path, CLIENT, RequestBodies.json(json));
    }

    private static JsonNode body(UpstreamRequest request) {
        return Json.MAPPER.readTree(((UpstreamRequest.Bytes) request.body()).bytes());
    }

    @Test
    void aCreateGoesToRunwayWithTheChannelsKeyAndModelNameAndTheVersion() {
        ClientRequest client = post("/runway/v1/image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":"
                + "\"https://img.example.com/a.png\",\"ratio\":\"1280:720\",\"duration\":5,\"extra\":1}");
        Intent<RunwayRequest> intent = imageToVideo.inspect(client);
        assertThat(intent.model()).isEqualTo("gen4_turbo");
        assertThat(intent.priceKey()).isEqualTo("runway/gen4_turbo");
        assertThat(imageToVideo.units(intent)).isEqualTo(5);
        UpstreamRequest out = imageToVideo.upstreamRequest(intent, OFFICIAL, client);
        assertThat(out.url()).isEqualTo("https://api.dev.runwayml.com/v1/image_to_video");
        assertThat(out.headers().get("Authorization")).isEqualTo("Bearer key_upstream");
        assertThat(out.headers().get("X-Runway-Version")).isEqualTo("2024-11-06");
        JsonNode sent = body(out);
        assertThat(sent.path("model").asString()).as("the channel's model mapping").isEqualTo("gen4_turbo_next");
        assertThat(sent.path("extra").asInt()).as("fields not checked pass through").isEqualTo(1);
        assertThat(sent.toString()).doesNotContain("sk-client-key-1").doesNotContain("result_token");
        assertThat(imageToVideo.draft(intent, SubmitReply.Accepted.of("rw-1", null, new byte[0])).request())
                .contains("\"result_token\":\"t\"").contains("\"seconds\":5");
    }

    @Test
    void runwaysAnswersReadAsRunwayWritesThem() {
        Intent<RunwayRequest> intent = imageToVideo.inspect(post("/runway/v1/image_to_video", "{\"model\":"
                + "\"gen4_turbo\",\"promptImage\":\"https://img.example.com/a.png\",\"ratio\":\"1280:720\"}"));
        assertThat(imageToVideo.units(intent)).as("no duration: gen4_turbo's most").isEqualTo(10);
        SubmitReply ok = imageToVideo.read(intent, OFFICIAL, 200, bytes("{\"id\":\"17f20503-6c24-4c16\"}"));
        assertThat(ok).isInstanceOfSatisfying(SubmitReply.Accepted.class,
                a -> assertThat(a.upstreamId()).isEqualTo("17f20503-6c24-4c16"));
        SubmitReply refused = imageToVideo.read(intent, OFFICIAL, 400, bytes("{\"error\":\"Validation of body "
                + "failed\",\"issues\":[{\"path\":[\"promptImage\"],\"message\":\"Failed to fetch asset\"}],"
                + "\"docUrl\":\"https://docs.dev.runwayml.com/api\"}"));
        assertThat(refused).isInstanceOfSatisfying(SubmitReply.Refused.class, r -> {
            JsonNode answer = Json.MAPPER.readTree(r.answer());
            assertThat(answer.path("error").asString()).isEqualTo("upstream refused: Validation of body failed");
            assertThat(answer.path("issues").get(0).path("message").asString()).isEqualTo("Failed to fetch asset");
            assertThat(answer.has("docUrl")).isFalse();
        });
        for (int status : new int[] {401, 403, 429, 502, 503}) {
            assertThat(imageToVideo.read(intent, OFFICIAL, status, bytes("{\"error\":\"x\"}")))
                    .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.tryElsewhere()).isTrue());
        }
        assertThat(imageToVideo.read(intent, OFFICIAL, 500, bytes("{\"error\":\"internal at up.example\"}")))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> {
                    assertThat(f.tryElsewhere()).isFalse();
                    assertThat(f.error().getMessage()).doesNotContain("up.example");
                });
    }

    @Test
    void aReverseFormatGenerateIsSentAsIsToARelayAndTranslatedForRunway() {
        ClientRequest client = post("/runway/pro/generate", "{\"callback_url\":\"https://me.example.com/cb\","
                + "\"prompt\":\"she laughs\",\"model\":\"gen4_turbo\",\"ratio\":\"4:3\",\"style\":\"cinematic\","
                + "\"image\":\"https://img.example.com/a.png\",\"options\":{\"seconds\":10}}");
        Intent<CompatRequest> intent = generate.inspect(client);
        UpstreamRequest relayed = generate.upstreamRequest(intent, RELAY, client);
        assertThat(relayed.url()).isEqualTo("https://relay.example.test/runway/pro/generate");
        assertThat(body(relayed).has("callback_url")).isFalse();
        assertThat(body(relayed).path("style").asString()).isEqualTo("cinematic");
        assertThat(generate.draft(intent, SubmitReply.Accepted.of("u-1", null, new byte[0])).notifyHook())
                .isEqualTo("https://me.example.com/cb");

        UpstreamRequest translated = generate.upstreamRequest(intent, channel("runway", "https://api.dev.runwayml.com",
                Map.of()), client);
        assertThat(translated.url()).isEqualTo("https://api.dev.runwayml.com/v1/image_to_video");
        JsonNode sent = body(translated);
        assertThat(sent.toString()).isEqualTo("{\"model\":\"gen4_turbo\",\"promptImage\":"
                + "\"https://img.example.com/a.png\",\"promptText\":\"she laughs\",\"ratio\":\"1104:832\",\"duration\":10}");
    }

    @Test
    void translationsRunwayCannotTakeAreNone() {
        assertThat(translate("{\"prompt\":\"x\",\"image\":\"https://i.example.com/a.png\"}", "gen4_turbo_next"))
                .as("a model name Runway's rules do not know (here from a channel's mapping)").isNull();
        assertThat(translate("{\"prompt\":\"x\",\"model\":\"gen4.5\",\"ratio\":\"16:9\"}", "gen4.5").endpoint())
                .isEqualTo(RunwayEndpoint.TEXT_TO_VIDEO);
        assertThat(translate("{\"prompt\":\"x\",\"model\":\"gen4.5\",\"ratio\":\"21:9\"}", "gen4.5")).isNull();
        assertThat(translate("{\"prompt\":\"x\",\"model\":\"gen4_turbo\"}", "gen4_turbo")).isNull();
        assertThat(translate("{\"prompt\":\"x\",\"model\":\"gen4\"}", "gen4")).isNull();
        assertThat(translate("{\"prompt\":\"x\",\"image\":\"http://img.example.com/a.png\"}", "gen4_turbo")).isNull();
        assertThat(translate("{\"prompt\":\"x\",\"image\":\"https://i.example.com/a.png\",\"last_image\":"
                + "\"https://i.example.com/b.png\"}", "gen4_turbo")).as("gen4_turbo takes a first frame only").isNull();
        assertThat(translate("{\"prompt\":\"" + "p".repeat(1001) + "\",\"image\":\"https://i.example.com/a.png\"}",
                "gen4_turbo")).isNull();
    }

    @Test
    void aClientsVersionMustBeADate() {
        ClientRequest client = ClientRequest.post("/runway/v1/image_to_video", Headers.of("X-Runway-Version", "v1"),
                RequestBodies.json("{\"model\":\"gen4_turbo\"}"));
        assertThatThrownBy(() -> imageToVideo.inspect(client)).isInstanceOf(BadField.class)
                .hasMessage("X-Runway-Version: v1 (expected: an API version date such as 2024-11-06)");
    }

    private CompatTranslation.Official translate(String json, String model) {
        CompatRequest request = CompatInput.read(CompatAction.GENERATE, (tools.jackson.databind.node.ObjectNode)
                Json.MAPPER.readTree(json), Headers.of());
        return CompatTranslation.of(request, model);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
