package dev.antler.suno;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.accounts.Status;
import dev.antler.core.GatewayException;
import dev.antler.family.Families;
import dev.antler.health.ChannelProbes;
import dev.antler.health.ProbeRequest;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Headers;
import dev.antler.relay.Intent;
import dev.antler.relay.Operation;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.RequestBodies;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Suno and Udio submits as plain functions: request record in, upstream request out, upstream bytes in, reply out. */
class SunoSubmitOperationTest {

    private static final String CLIENT_KEY = "sk-client-suno-0123456789";
    private static final Headers CLIENT_HEADERS = Headers.of("Authorization", "Bearer " + CLIENT_KEY,
            "Content-Type", "application/json", "Cookie", "session=1");
    private static final Channel CHANNEL = new Channel(7, "suno-a", "suno", "https://suno.example.test/", "sk-suno-up-1",
            Set.of(), Map.of("chirp-v4", "chirp-v4-beta"), 0, 1, Set.of("default"), Status.ACTIVE, null);
    private static final Channel UDIO = new Channel(8, "udio-a", "udio", "https://udio.example.test", "sk-udio-up-1",
            Set.of(), Map.of(), 0, 1, Set.of("default"), Status.ACTIVE, null);

    private final SunoSubmitOperation posted = new SunoSubmitOperation(Operation.BodyKind.JSON);
    private final SunoSubmitOperation got = new SunoSubmitOperation(Operation.BodyKind.NONE);

    private static ClientRequest post(String path, String json) {
        return ClientRequest.post(path, CLIENT_HEADERS, RequestBodies.json(json.replace('\'', '"')));
    }

    private static ClientRequest get(String path) {
        return new ClientRequest("GET", "http", null, path, null, CLIENT_HEADERS, new RequestBody.None());
    }

    private static JsonNode json(byte[] bytes) {
        return Json.MAPPER.readTree(bytes);
    }

    private static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(UTF_8);
    }

    private static Task task(String publicId, long channelId, String upstreamId) {
        return new Task(1, publicId, "suno", "MUSIC", null, 1, 1, channelId, upstreamId, TaskStatus.SUCCESS, "100%",
                null, Task.Charge.perCall(300_000_000L), null, null, null, 0, null, null, 0);
    }

    @Test
    void aSongGoesToTheClientPathWithTheChannelsBearerKeyAndItsMappedModelNeverTheClientsKey() {
        Intent<SunoSubmitOperation.Call> intent = posted.inspect(post("/suno/submit/music",
                "{'prompt':'[Verse] hi','tags':'pop','mv':'chirp-v4','notify_hook':'https://client.example/h'}"));

        assertThat(intent.model()).isEqualTo("chirp-v4");
        assertThat(posted.priceKeys(intent)).containsExactly("chirp-v4", "suno_music");
        assertThat(posted.endpoint(intent)).isEqualTo("suno.music");
        assertThat(posted.pinnedChannel(intent)).isNull();
        UpstreamRequest upstream = posted.upstreamRequest(intent, CHANNEL, post("/suno/submit/music", "{}"));

        assertThat(upstream.method()).isEqualTo("POST");
        assertThat(upstream.url()).isEqualTo("https://suno.example.test/suno/submit/music");
        assertThat(upstream.headers().getAll("Authorization")).containsExactly("Bearer sk-suno-up-1");
        assertThat(upstream.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(upstream.headers().contains("Cookie")).isFalse();
        upstream.headers().forEach(h -> assertThat(h.getValue()).doesNotContain(CLIENT_KEY));
        JsonNode sent = json(RequestBodies.bytes(upstream.body()));
        assertThat(sent.path("mv").asString()).isEqualTo("chirp-v4-beta");
        assertThat(sent.path("prompt").asString()).isEqualTo("[Verse] hi");
        assertThat(sent.has("notify_hook")).as("the hook is the gateway's to call").isFalse();
        assertThat(new String(RequestBodies.bytes(upstream.body()), UTF_8)).doesNotContain(CLIENT_KEY);
        assertThat(intent.details().submit().upstreamBody().path("mv").asString())
                .as("the mapping is per channel: the intent keeps the client's model").isEqualTo("chirp-v4");

        TaskDraft draft = posted.draft(intent, SubmitReply.Accepted.of("up-1", TaskStatus.SUBMITTED, new byte[0]));
        assertThat(draft.action()).isEqualTo("MUSIC");
        assertThat(draft.notifyHook()).isEqualTo("https://client.example/h");
        assertThat(draft.request()).doesNotContain("up-1");
    }

    @Test
    void aContinuationIsPinnedToItsOriginsChannelAndSendsTheOriginsUpstreamId() {
        Intent<SunoSubmitOperation.Call> read = posted.inspect(post("/suno/submit/music",
                "{'task_id':'task_gateway1','continue_clip_id':'clip-1','continue_at':30,'task':'extend'}"));
        Intent<SunoSubmitOperation.Call> resolved = posted.resolve(read, (field, id) -> {
            assertThat(field).isEqualTo("task_id");
            assertThat(id).isEqualTo("task_gateway1");
            return task(id, 42, "upstream-origin-9");
        });

        assertThat(posted.pinnedChannel(resolved)).isEqualTo(42L);
        JsonNode sent = json(RequestBodies.bytes(posted.upstreamRequest(resolved, CHANNEL, post("/x", "{}")).body()));
        assertThat(sent.path("task_id").asString()).isEqualTo("upstream-origin-9");
        assertThat(sent.path("continue_clip_id").asString()).isEqualTo("clip-1");
        assertThat(posted.draft(resolved, SubmitReply.Accepted.of("up-2", TaskStatus.SUBMITTED, new byte[0])).request())
                .contains("task_gateway1").doesNotContain("upstream-origin-9");

        GatewayException notYours = GatewayException.notFound("task_not_found", "task_id: task_gateway1");
        assertThatThrownBy(() -> posted.resolve(read, (field, id) -> {
            throw notYours;
        })).isSameAs(notYours);
    }

    @Test
    void refusalsOfTheInputAreInSunosCodesBeforeAnythingElse() {
        assertThatThrownBy(() -> posted.inspect(post("/suno/submit/lyrics", "{'title':'x'}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo("prompt_empty"));
        assertThatThrownBy(() -> posted.inspect(post("/suno/submit/music", "{'continue_clip_id':'c1','prompt':'x'}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo("missing_task_id"));
        assertThatThrownBy(() -> posted.inspect(ClientRequest.post("/suno/submit/dance", CLIENT_HEADERS,
                new RequestBody.None())))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo("invalid_action"));
        assertThatThrownBy(() -> posted.inspect(post("/suno/submit/music", "[1]")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo("invalid_json"));
    }

    @Test
    void theUpstreamsAnswerBecomesTheChainsReply() {
        Intent<SunoSubmitOperation.Call> intent = posted.inspect(post("/suno/submit/lyrics", "{'prompt':'rain'}"));

        SubmitReply accepted = posted.read(intent, CHANNEL, 200, bytes("{'code':'success','message':'','data':'up-77'}"));
        assertThat(accepted).isInstanceOfSatisfying(SubmitReply.Accepted.class, a -> {
            assertThat(a.upstreamId()).isEqualTo("up-77");
            assertThat(a.initial()).isEqualTo(TaskStatus.SUBMITTED);
            assertThat(a.units()).as("charged as held: one call").isNull();
        });
        byte[] answer = posted.answer(intent, task("task_abc", 7, "up-77"), (SubmitReply.Accepted) accepted, "req-1");
        assertThat(json(answer)).isEqualTo(json(bytes("{'code':'success','message':'','data':'task_abc'}")));

        SubmitReply refused = posted.read(intent, CHANNEL, 400, bytes("{'code':'prompt_empty','message':'prompt_empty','data':null}"));
        assertThat(refused).isInstanceOfSatisfying(SubmitReply.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(json(r.answer())).isEqualTo(json(bytes("{'code':'prompt_empty','message':'prompt_empty','data':null}")));
        });
        assertThat(posted.read(intent, CHANNEL, 200, bytes("{'code':'quota_low','message':'m','data':null}")))
                .isInstanceOfSatisfying(SubmitReply.Refused.class, r -> assertThat(r.status()).isEqualTo(400));

        assertThat(posted.read(intent, CHANNEL, 429, bytes("{'error':{'message':'busy'}}")))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> {
                    assertThat(f.tryElsewhere()).isTrue();
                    assertThat(f.error().status()).isEqualTo(429);
                });
        assertThat(posted.read(intent, CHANNEL, 503, new byte[0]))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.tryElsewhere()).isTrue());
        assertThat(posted.read(intent, CHANNEL, 500, bytes("{'code':'quota_not_enough','message':'user quota','data':null}")))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> {
                    assertThat(f.tryElsewhere()).as("a 500 may have taken the work").isFalse();
                    assertThat(f.error().status()).isEqualTo(502);
                    assertThat(f.error().getMessage()).contains("quota_not_enough").doesNotContain("user quota");
                });
        assertThat(posted.read(intent, CHANNEL, 401, bytes("{'error':{'message':'无效的令牌'}}")))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.error().code())
                        .isEqualTo("upstream_auth_failed"));
        assertThat(posted.read(intent, CHANNEL, 200, bytes("{'code':'success','message':'','data':''}")))
                .as("success without a task id").isInstanceOf(SubmitReply.Failed.class);
    }

    @Test
    void anExtraIsAGetWithoutABodyAnsweredAtOnceWithoutTheAccountsFields() {
        Intent<SunoSubmitOperation.Call> intent = got.inspect(get("/suno/act/wav/clip-9"));
        assertThat(intent.model()).isEqualTo("suno_wav");
        assertThat(got.endpoint(intent)).isEqualTo("suno.wav");
        UpstreamRequest upstream = got.upstreamRequest(intent, CHANNEL, get("/suno/act/wav/clip-9"));
        assertThat(upstream.method()).isEqualTo("GET");
        assertThat(upstream.url()).isEqualTo("https://suno.example.test/suno/act/wav/clip-9");
        assertThat(upstream.body()).isInstanceOf(UpstreamRequest.Empty.class);
        assertThat(upstream.headers().get("Authorization")).isEqualTo("Bearer sk-suno-up-1");

        Intent<SunoSubmitOperation.Call> persona = posted.inspect(post("/suno/persona/create",
                "{'root_clip_id':'clip-1','name':'Ann'}"));
        SubmitReply answered = posted.read(persona, CHANNEL, 200, bytes("{'id':'p1','name':'Ann','user_handle':'acct7',"
                + "'clip':{'id':'clip-1','handle':'acct7','user_id':'u-1','title':'t'}}"));
        assertThat(answered).isInstanceOfSatisfying(SubmitReply.Answered.class, a -> {
            assertThat(a.charged()).isTrue();
            assertThat(new String(a.answer(), UTF_8)).contains("\"p1\"", "\"clip-1\"").doesNotContain("acct7", "u-1");
        });
        assertThat(posted.read(persona, CHANNEL, 200, bytes("<html>")))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.tryElsewhere()).isFalse());
    }

    @Test
    void udioSendsItsModelTypeToTheClientPathAndReadsTheSameEnvelope() {
        UdioSubmitOperation udio = new UdioSubmitOperation();
        Intent<UdioSubmit> intent = udio.inspect(post("/udio/submit/music", "{'gen_params':{'prompt':'jazz'}}"));
        assertThat(intent.model()).isEqualTo("udio32-v1.5");
        assertThat(udio.priceKeys(intent)).containsExactly("udio32-v1.5", "udio_music");
        UpstreamRequest upstream = udio.upstreamRequest(intent, UDIO, post("/udio/submit/music", "{}"));
        assertThat(upstream.url()).isEqualTo("https://udio.example.test/udio/submit/music");
        assertThat(upstream.headers().get("Authorization")).isEqualTo("Bearer sk-udio-up-1");
        assertThat(json(RequestBodies.bytes(upstream.body())).path("gen_params").path("model_type").asString())
                .isEqualTo("udio32-v1.5");
        assertThat(udio.read(intent, UDIO, 200, bytes("{'code':'success','message':'','data':'u-1'}")))
                .isInstanceOf(SubmitReply.Accepted.class);
        assertThatThrownBy(() -> udio.inspect(post("/udio/submit/song", "{'gen_params':{'prompt':'jazz'}}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo("invalid_action"));
    }

    @Test
    void aSunoChannelIsTestedWithAFreeBatchFetchForNoTasks() {
        ProbeRequest p = ChannelProbes.of(Families.builtIn()).probe(CHANNEL).orElseThrow();
        assertThat(p.method()).isEqualTo("POST");
        assertThat(p.url()).isEqualTo("https://suno.example.test/suno/fetch");
        assertThat(p.headers().get("Authorization")).isEqualTo("Bearer sk-suno-up-1");
        assertThat(p.body()).isEqualTo("{\"ids\":[]}");
        assertThat(ChannelProbes.of(Families.builtIn()).probe(UDIO)).isEmpty();
    }
}
