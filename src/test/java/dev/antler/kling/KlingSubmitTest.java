package dev.antler.kling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.billing.Price;
import dev.antler.billing.Usd;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Headers;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.ManualClock;
import dev.antler.testing.RequestBodies;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The submit as a function: a client request in, the upstream request out; the upstream's bytes in, a reply out. */
class KlingSubmitTest {

    private static final Headers CLIENT = Headers.of("Authorization", "Bearer sk-client-key-1",
            "Content-Type", "application/json");
    private final ManualClock clock = new ManualClock(java.time.Instant.ofEpochSecond(1_750_000_000L));
    private final KlingSubmit text2video = new KlingSubmit(KlingAction.TEXT2VIDEO, new KlingAuth(clock), null,
            key -> java.util.Optional.empty());

    private static ClientRequest post(String path, String json) {
        return ClientRequest.post(path, CLIENT, RequestBodies.json(json));
    }

    @Test
    void aSubmitGoesUpstreamWithTheSignedTokenAndWithoutTheClientsCallback() {
        ClientRequest client = post("/kling/v1/videos/text2video",
                "{\"prompt\":\"a heron\",\"mode\":\"pro\",\"duration\":10,\"callback_url\":\"https://me.test/cb\"}");
        Intent<KlingRequest> intent = text2video.inspect(client);
        assertThat(intent.model()).isEqualTo("kling-v1");
        assertThat(intent.priceKey()).isEqualTo("kling/kling-v1/pro");
        assertThat(text2video.units(intent)).isEqualTo(10);
        assertThat(text2video.holdEstimate(intent, Price.perSecond("0.098"), null)).isEqualTo(10 * Usd.parse("0.098"));

        UpstreamRequest out = text2video.upstreamRequest(intent, KlingAuthTest.channel(FakeKling.KEY), client);
        assertThat(out.url()).isEqualTo("https://kling.example.test/v1/videos/text2video");
        String auth = out.headers().get("Authorization");
        assertThat(auth).isEqualTo("Bearer " + KlingAuth.jwt(FakeKling.ACCESS, FakeKling.SECRET, 1_750_000_000L));
        assertThat(auth).doesNotContain("sk-client-key-1");
        JsonNode body = Json.MAPPER.readTree(((UpstreamRequest.Bytes) out.body()).bytes());
        assertThat(body.has("callback_url")).isFalse();
        assertThat(body.path("duration").asString()).isEqualTo("10");
        assertThat(body.path("model_name").asString()).isEqualTo("kling-v1");

        assertThat(text2video.draft(intent, SubmitReply.Accepted.of("kt-9", TaskStatus.SUBMITTED, new byte[0]))
                .notifyHook()).isEqualTo("https://me.test/cb");
    }

    @Test
    void theUpstreamsAnswerIsReadAsKlingWritesIt() {
        Intent<KlingRequest> intent = text2video.inspect(post("/kling/v1/videos/text2video", "{\"prompt\":\"x\"}"));
        byte[] ok = ("{\"code\":0,\"message\":\"SUCCEED\",\"request_id\":\"r\",\"data\":{\"task_id\":\"kt-9\","
                + "\"task_status\":\"submitted\",\"created_at\":1,\"updated_at\":1}}").getBytes(StandardCharsets.UTF_8);
        SubmitReply reply = text2video.read(intent, KlingAuthTest.channel(FakeKling.KEY), 200, ok);
        assertThat(reply).isInstanceOf(SubmitReply.Accepted.class);
        assertThat(((SubmitReply.Accepted) reply).upstreamId()).isEqualTo("kt-9");
        assertThat(((SubmitReply.Accepted) reply).initial()).isEqualTo(TaskStatus.SUBMITTED);

        SubmitReply refused = text2video.read(intent, KlingAuthTest.channel(FakeKling.KEY), 400,
                FakeKling.error(1201, "image too small").getBytes(StandardCharsets.UTF_8));
        assertThat(refused).isInstanceOf(SubmitReply.Refused.class);
        assertThat(new String(((SubmitReply.Refused) refused).answer(), StandardCharsets.UTF_8))
                .contains("\"code\":1201").contains("image too small");

        SubmitReply busy = text2video.read(intent, KlingAuthTest.channel(FakeKling.KEY), 429,
                FakeKling.error(1302, "rate limit").getBytes(StandardCharsets.UTF_8));
        assertThat(busy).isInstanceOfSatisfying(SubmitReply.Failed.class, f -> {
            assertThat(f.tryElsewhere()).isTrue();
            assertThat(f.error().status()).isEqualTo(429);
        });
        SubmitReply badKey = text2video.read(intent, KlingAuthTest.channel(FakeKling.KEY), 401,
                FakeKling.error(1000, "Authentication failed").getBytes(StandardCharsets.UTF_8));
        assertThat(badKey).isInstanceOfSatisfying(SubmitReply.Failed.class,
                f -> assertThat(f.error().status()).as("our key, not the client's fault").isEqualTo(502));
    }

    @Test
    void unknownFieldsPassAndBadOnesAreNamed() {
        Intent<KlingRequest> intent = text2video.inspect(post("/x", "{\"prompt\":\"x\",\"sound\":\"on\"}"));
        assertThat(intent.details().upstream().path("sound").asString()).isEqualTo("on");
        assertThatThrownBy(() -> text2video.inspect(post("/x", "{\"prompt\":\"x\",\"aspect_ratio\":\"4:3\"}")))
                .isInstanceOf(GatewayException.class)
                .hasMessage("aspect_ratio: \"4:3\" (expected: one of 16:9, 9:16, 1:1)");
        assertThatThrownBy(() -> text2video.inspect(post("/x", "{\"prompt\":\"x\",\"cfg_scale\":2}")))
                .hasMessage("cfg_scale: 2 (expected: a number from 0 to 1)");
    }

    @Test
    void theGatewaysErrorsTakeKlingsServiceCodes() {
        assertThat(KlingErrorFormat.serviceCode(GatewayException.badRequest("x", "m"))).isEqualTo(1201);
        assertThat(KlingErrorFormat.serviceCode(GatewayException.unauthorized("m"))).isEqualTo(1000);
        assertThat(KlingErrorFormat.serviceCode(GatewayException.notFound("x", "m"))).isEqualTo(1203);
        assertThat(KlingErrorFormat.serviceCode(GatewayException.insufficientBalance("m"))).isEqualTo(1101);
        assertThat(KlingErrorFormat.INSTANCE.isOwnEnvelope(FakeKling.error(1302, "busy"))).isTrue();
        assertThat(KlingErrorFormat.INSTANCE.isOwnEnvelope("{\"error\":{\"message\":\"x\"}}")).isFalse();
    }
}
