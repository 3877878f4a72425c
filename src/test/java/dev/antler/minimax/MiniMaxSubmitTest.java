package dev.antler.minimax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.billing.Price;
import dev.antler.billing.Usd;
import dev.antler.health.ProbeRequest;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Headers;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.ManualClock;
import dev.antler.testing.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The submit as a function: a client request in, the upstream request out; MiniMax's bytes in, a reply out. */
class MiniMaxSubmitTest {

    private static final Headers CLIENT = Headers.of("Authorization", "Bearer sk-client-key-1",
            "Content-Type", "application/json", "Host", "gw.example.test");
    private static final Channel CHANNEL = new Channel(7, "mm", "minimax", "https://mm.example.test/", "mm-secret-1",
            Set.of(), Map.of("MiniMax-Hailuo-02", "MiniMax-Hailuo-02-custom"), 0, 1, Set.of("default"),
            Status.ACTIVE, null);

    private final ChannelHealth health = new ChannelHealth(ManualClock.now(), ChannelHealth.Settings.DEFAULTS);
    private final List<String> disabled = new ArrayList<>();
    private final MiniMaxReplies replies = new MiniMaxReplies(health);
    private final MiniMaxSubmit v1 = new MiniMaxSubmit(MiniMaxApi.V1, replies, null);
    private final MiniMaxSubmit v2 = new MiniMaxSubmit(MiniMaxApi.V2, replies, "https://public.example.test/");

    MiniMaxSubmitTest() {
        health.onDisable((channel, reason) -> disabled.add(channel.name() + ": " + reason));
    }

    private static ClientRequest post(String path, String json) {
        return ClientRequest.post(path, CLIENT, RequestBodies.json(json));
    }

    private static SubmitReply read(MiniMaxSubmit submit, Intent<MiniMaxRequest> intent, int status, String body) {
        return submit.read(intent, CHANNEL, status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aV1SubmitGoesUpstreamWithTheChannelsKeyItsModelNameAndWithoutTheClientsCallback() {
        ClientRequest client = post("/minimax/v1/video_generation", "{\"model\":\"MiniMax-Hailuo-02\",\"prompt\":\"a "
                + "heron\",\"resolution\":\"512p\",\"duration\":\"10\",\"callback_url\":\"https://me.test/cb\"}");
        Intent<MiniMaxRequest> intent = v1.inspect(client);
        assertThat(intent.model()).isEqualTo("MiniMax-Hailuo-02");
        assertThat(intent.priceKey()).isEqualTo("minimax/MiniMax-Hailuo-02/10/512P");
        assertThat(v1.priceKeys(intent)).containsExactly("minimax/MiniMax-Hailuo-02/10/512P", "MiniMax-Hailuo-02");
        assertThat(v1.holdEstimate(intent, Price.perCall("0.15"), null)).isEqualTo(Usd.parse("0.15"));
        assertThat(v1.holdEstimate(intent, Price.perSecond("0.02"), null)).as("an operator's per-second price")
                .isEqualTo(10 * Usd.parse("0.02"));

        UpstreamRequest out = v1.upstreamRequest(intent, CHANNEL, client);
        assertThat(out.url()).isEqualTo("https://mm.example.test/v1/video_generation");
        assertThat(out.headers().get("Authorization")).isEqualTo("Bearer mm-secret-1");
        JsonNode body = Json.MAPPER.readTree(((UpstreamRequest.Bytes) out.body()).bytes());
        assertThat(body.has("callback_url")).isFalse();
        assertThat(body.path("model").asString()).as("the channel's model mapping").isEqualTo("MiniMax-Hailuo-02-custom");
        assertThat(body.path("resolution").asString()).isEqualTo("512P");
        assertThat(body.path("duration").isIntegralNumber()).isTrue();
        assertThat(body.path("duration").asInt()).isEqualTo(10);

        var draft = v1.draft(intent, SubmitReply.Accepted.of("106916112212032", TaskStatus.SUBMITTED, new byte[0]));
        assertThat(draft.notifyHook()).isEqualTo("https://me.test/cb");
        assertThat(draft.mode()).isEqualTo("v1");
        JsonNode facts = Json.MAPPER.readTree(draft.request());
        assertThat(facts.path("base").asString()).isEqualTo("http://gw.example.test");
        assertThat(facts.path("result_token").asString()).hasSize(32);
        assertThat(v1.newPublicId(0)).matches("[1-9]\\d{17}");
    }

    @Test
    void aV2SubmitIsHeldPerSecondAndItsLinksUseThePublicBase() {
        ClientRequest client = post("/minimax/v2/video_generation", "{\"model\":\"MiniMax-H3\",\"duration\":12,"
                + "\"content\":[{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
                + "\"https://i.test/a.png\"}}]}");
        Intent<MiniMaxRequest> intent = v2.inspect(client);
        assertThat(intent.priceKey()).isEqualTo("minimax/MiniMax-H3/768P");
        assertThat(v2.units(intent)).isEqualTo(12);
        assertThat(v2.holdEstimate(intent, Price.perSecond("0.08"), null)).isEqualTo(12 * Usd.parse("0.08"));
        UpstreamRequest out = v2.upstreamRequest(intent, CHANNEL, client);
        assertThat(out.url()).isEqualTo("https://mm.example.test/v2/video_generation");
        Channel withV1 = new Channel(8, "mm1", "minimax", "https://mm.example.test/v1/", "k", Set.of(), Map.of(), 0,
                1, Set.of("default"), Status.ACTIVE, null);
        assertThat(v2.upstreamRequest(intent, withV1, client).url()).as("a base URL written with /v1")
                .isEqualTo("https://mm.example.test/v2/video_generation");
        JsonNode body = Json.MAPPER.readTree(((UpstreamRequest.Bytes) out.body()).bytes());
        assertThat(body.has("ratio")).as("an image request takes its image's ratio").isFalse();
        JsonNode facts = Json.MAPPER.readTree(v2.draft(intent, SubmitReply.Accepted.of("4240", TaskStatus.SUBMITTED,
                new byte[0])).request());
        assertThat(facts.path("base").asString()).isEqualTo("https://public.example.test");
    }

    @Test
    void miniMaxsAnswersAreReadByTheirCodes() {
        Intent<MiniMaxRequest> one = v1.inspect(post("/minimax/v1/video_generation",
                "{\"model\":\"T2V-01\",\"prompt\":\"x\"}"));
        assertThat(read(v1, one, 200, "{\"task_id\":\"106916112212032\",\"base_resp\":{\"status_code\":0,"
                + "\"status_msg\":\"success\"}}")).isInstanceOfSatisfying(SubmitReply.Accepted.class,
                a -> assertThat(a.upstreamId()).isEqualTo("106916112212032"));
        assertThat(read(v1, one, 200, "{\"task_id\":\"\",\"base_resp\":{\"status_code\":1002,\"status_msg\":\"rate "
                + "limit\"}}")).isInstanceOfSatisfying(SubmitReply.Failed.class, f -> {
                    assertThat(f.tryElsewhere()).isTrue();
                    assertThat(f.error().status()).isEqualTo(429);
                });
        assertThat(disabled).isEmpty();
        assertThat(read(v1, one, 200, "{\"base_resp\":{\"status_code\":2049,\"status_msg\":\"invalid api key\"}}"))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.tryElsewhere()).isTrue());
        assertThat(disabled).containsExactly("mm: auto-disabled: the upstream refused the key (MiniMax code 2049: "
                + "invalid api key)");
        assertThat(read(v1, one, 200, "{\"base_resp\":{\"status_code\":1026,\"status_msg\":\"sensitive\"}}"))
                .isInstanceOfSatisfying(SubmitReply.Refused.class, r -> {
                    assertThat(r.status()).isEqualTo(422);
                    assertThat(new String(r.answer(), StandardCharsets.UTF_8))
                            .contains("\"status_code\":1026").contains("\"status_msg\":\"sensitive\"");
                });
        assertThat(read(v1, one, 200, "{\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}"))
                .as("a success without a task id: the upstream may have the work; no other channel")
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.tryElsewhere()).isFalse());
        assertThat(read(v1, one, 502, "<html>bad gateway</html>"))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.tryElsewhere()).isFalse());

        Intent<MiniMaxRequest> two = v2.inspect(post("/minimax/v2/video_generation",
                "{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}]}"));
        assertThat(read(v2, two, 200, "{\"task_id\":\"424010985738629\"}"))
                .isInstanceOf(SubmitReply.Accepted.class);
        assertThat(read(v2, two, 402, "{\"type\":\"error\",\"error\":{\"type\":\"insufficient_balance_error\","
                + "\"message\":\"insufficient balance (1008)\",\"http_code\":\"402\"},\"request_id\":\"r\"}"))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> {
                    assertThat(f.tryElsewhere()).isTrue();
                    assertThat(f.error().code()).isEqualTo("upstream_no_balance");
                });
        assertThat(disabled).as("an HTTP 402 is the chain's to judge (ChannelFaults), not disabled twice").hasSize(1);
        assertThat(read(v2, two, 400, "{\"type\":\"error\",\"error\":{\"type\":\"bad_request_error\",\"message\":"
                + "\"invalid params, content must include a non-empty text item (2013)\",\"http_code\":\"400\"}}"))
                .isInstanceOfSatisfying(SubmitReply.Refused.class, r -> {
                    JsonNode answer = Json.MAPPER.readTree(r.answer());
                    assertThat(answer.path("error").path("message").asString())
                            .isEqualTo("invalid params, content must include a non-empty text item (2013)");
                    assertThat(answer.path("error").path("http_code").asString()).isEqualTo("400");
                });
    }

    @Test
    void theChannelTestAsksForTheFreeTaskList() {
        ProbeRequest probe = MiniMaxFamily.CHANNEL_TYPE.probe().apply(CHANNEL);
        assertThat(probe.method()).isEqualTo("GET");
        assertThat(probe.url()).isEqualTo("https://mm.example.test/v2/query/video_generation?page_num=1&page_size=1");
        assertThat(probe.headers().get("Authorization")).isEqualTo("Bearer mm-secret-1");
        assertThat(MiniMaxFamily.CHANNEL_TYPE.defaultBaseUrl()).isEqualTo("https://api.minimax.io");
    }

    @Test
    void everyModelOfTheTableHasAListPriceForEachOfItsVideos() {
        var prices = MiniMaxPrices.table();
        for (MiniMaxModels.Model model : MiniMaxModels.all()) {
            model.durations().forEach((resolution, durations) -> {
                if (model.api() == MiniMaxApi.V2) {
                    assertThat(prices.get("minimax/" + model.name() + "/" + resolution).perSecond()).isPositive();
                } else {
                    durations.forEach(seconds -> assertThat(prices.get("minimax/" + model.name() + "/" + seconds
                            + "/" + resolution)).as(model.name() + " " + seconds + " " + resolution).isNotNull());
                }
            });
        }
    }
}
