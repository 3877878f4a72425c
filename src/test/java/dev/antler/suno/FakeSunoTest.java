package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskFamily;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The fakes' state machines, read through the family's own parsers (so the fakes speak what they read). */
class FakeSunoTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeSuno suno;
    private static FakeUdio udio;

    @BeforeAll
    static void start() {
        suno = FakeSuno.start();
        udio = FakeUdio.start();
    }

    @AfterAll
    static void stop() {
        suno.close();
        udio.close();
    }

    record Answer(int status, byte[] body) {
        JsonNode json() {
            return Json.MAPPER.readTree(body);
        }
    }

    static Answer call(String base, String key, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json.replace('\'', '"')));
        HttpResponse<byte[]> r = HTTP.send(b.header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r.body());
    }

    static Answer suno(String method, String path, String json) throws Exception {
        return call(suno.baseUrl(), FakeSuno.KEY, method, path, json);
    }

    static String submitMusic(String body) throws Exception {
        Answer a = suno("POST", "/suno/submit/music", body);
        SunoSubmitReply answer = SunoSubmitReply.of(a.status(), a.body());
        assertThat(answer.accepted()).as(new String(a.body())).isTrue();
        return answer.upstreamId();
    }

    static TaskUpdate pollBatch(String id) throws Exception {
        Answer a = suno("POST", "/suno/fetch", new String(SunoPoll.batchRequest(List.of(id, "unknown-id"))));
        Map<String, TaskUpdate> updates = SunoPoll.batch(a.status(), a.body());
        assertThat(updates).containsOnlyKeys(id);
        return updates.get(id);
    }

    @Test
    void musicMovesThroughItsStatesWithTwoClipsCarryingTheAccount() throws Exception {
        String id = submitMusic("{'gpt_description_prompt':'a song about the sea','mv':'chirp-v4'}");
        List<TaskStatus> seen = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        TaskUpdate last = null;
        for (int i = 0; i < 5; i++) {
            last = pollBatch(id);
            seen.add(last.status());
            progress.add(last.progress());
        }
        assertThat(seen).containsExactly(TaskStatus.SUBMITTED, TaskStatus.QUEUED, TaskStatus.IN_PROGRESS,
                TaskStatus.SUCCESS, TaskStatus.SUCCESS);
        assertThat(progress).containsExactly("0%", "10%", "60%", "100%", "100%");
        JsonNode report = Json.MAPPER.readTree(last.payload());
        assertThat(report.path("data")).hasSize(2);
        assertThat(report.path("data").get(0).path("status").asString()).isEqualTo("complete");
        assertThat(report.path("data").get(0).path("handle").asString()).isEqualTo(FakeSuno.ACCOUNT_HANDLE);
        assertThat(report.path("finish_time").asLong()).isPositive();
        assertThat(last.startedAt()).isPositive();

        Task task = new Task(1, "task_pub", "suno", "MUSIC", null, 1, 1, 1, id, last.status(), last.progress(), null,
                new Task.Charge(0, 0, 1, "charged", "none", "open"), null, "{}", last.payload(), 1_000L, last.startedAt(), 2_000L, 2_000L);
        String view = SunoTaskView.single(task).toString();
        assertThat(view).doesNotContain(id).doesNotContain(FakeSuno.ACCOUNT_HANDLE).doesNotContain(FakeSuno.ACCOUNT_USER_ID)
                .contains(suno.clipIds(id).get(0)).contains(".mp3");
    }

    @Test
    void aTaskMadeToFailEndsInFailureWithItsReason() throws Exception {
        suno.failNext("Unable to generate audio: content moderation");
        String id = submitMusic("{'prompt':'[Verse] x','tags':'rock'}");
        pollBatch(id);
        pollBatch(id);
        Answer single = suno("GET", "/suno/fetch/" + id, null);
        TaskUpdate failed = SunoPoll.single(single.status(), single.body());
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(failed.failReason()).isEqualTo("Unable to generate audio: content moderation");
        assertThat(single.json().path("data").path("data").get(0).path("status").asString()).isEqualTo("error");
        assertThat(submitMusic("{'prompt':'next one'}")).as("only the next task fails").isNotNull();
    }

    @Test
    void lyricsAndUploadAndConcatAreTasksToo() throws Exception {
        Answer lyrics = suno("POST", "/suno/submit/lyrics", "{'prompt':'a love song'}");
        String id = SunoSubmitReply.of(lyrics.status(), lyrics.body()).upstreamId();
        TaskUpdate u = null;
        for (int i = 0; i < 4; i++) {
            Answer a = suno("GET", "/suno/fetch/" + id, null);
            u = SunoPoll.single(a.status(), a.body());
        }
        assertThat(u.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(Json.MAPPER.readTree(u.payload()).path("data").path("text").asString()).contains("a love song");

        Answer empty = suno("POST", "/suno/submit/lyrics", "{}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(SunoSubmitReply.of(empty.status(), empty.body()).code()).isEqualTo("prompt_empty");
        assertThat(SunoSubmitReply.of(200, suno("POST", "/suno/uploads/audio-url", "{'url':'https://cdn.example/a.mp3'}")
                .body()).accepted()).isTrue();
        assertThat(SunoSubmitReply.of(200, suno("POST", "/suno/submit/concat", "{'clip_id':'c1'}").body()).accepted()).isTrue();
        assertThat(suno("POST", "/suno/submit/video", "{}").json().path("code").asString()).isEqualTo("invalid_action");
    }

    @Test
    void continuationsNeedAnOriginTheUpstreamKnows() throws Exception {
        String origin = submitMusic("{'gpt_description_prompt':'x'}");
        String clip = suno.clipIds(origin).get(0);
        Answer noTask = suno("POST", "/suno/submit/music", "{'prompt':'x','continue_clip_id':'" + clip + "'}");
        assertThat(noTask.status()).isEqualTo(400);
        Answer gatewayId = suno("POST", "/suno/submit/music", "{'prompt':'x','task_id':'task_gateway1',"
                + "'continue_clip_id':'" + clip + "','continue_at':30}");
        assertThat(SunoSubmitReply.of(gatewayId.status(), gatewayId.body()).code()).isEqualTo("task_not_exist");
        submitMusic("{'prompt':'x','task_id':'" + origin + "','continue_clip_id':'" + clip + "','continue_at':30,'task':'extend'}");
    }

    @Test
    void keysRefusalsBusyAndDelayKnobs() throws Exception {
        Answer noKey = call(suno.baseUrl(), "wrong", "POST", "/suno/submit/music", "{'prompt':'x'}");
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(SunoSubmitReply.of(noKey.status(), noKey.body()).message()).isEqualTo("无效的令牌");

        suno.refuseNext(500, "quota_not_enough", "user quota is not enough");
        Answer refused = suno("POST", "/suno/submit/music", "{'prompt':'x'}");
        SunoSubmitReply parsed = SunoSubmitReply.of(refused.status(), refused.body());
        assertThat(parsed.accepted()).isFalse();
        assertThat(parsed.httpStatus()).isEqualTo(500);
        assertThat(parsed.code()).isEqualTo("quota_not_enough");

        long before = suno.count("POST", "/suno/fetch");
        suno.busy(2);
        for (int i = 0; i < 2; i++) {
            Answer busy = suno("POST", "/suno/fetch", "{'ids':[]}");
            assertThatThrownBy(() -> SunoPoll.batch(busy.status(), busy.body())).isInstanceOf(TaskFamily.UpstreamBusy.class);
        }
        Answer fine = suno("POST", "/suno/fetch", "{'ids':[]}");
        assertThat(SunoPoll.batch(fine.status(), fine.body())).isEmpty();
        assertThat(suno.count("POST", "/suno/fetch") - before).isEqualTo(3);
        assertThat(suno.requests().getLast().header("Authorization")).isEqualTo("Bearer " + FakeSuno.KEY);
        assertThat(suno.requests().getLast().json().path("ids").isArray()).isTrue();

        suno.enqueue(FakeSuno.Reply.delayed(300));
        long start = System.nanoTime();
        suno("GET", "/suno/fetch/unknown", null);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(290);
        Answer unknown = suno("GET", "/suno/fetch/unknown", null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(SunoPoll.single(unknown.status(), unknown.body())).isNull();
    }

    @Test
    void extrasAnswerAtOnceAndTheirAccountFieldsStrip() throws Exception {
        Answer timing = suno("GET", "/suno/act/timing/c1", null);
        assertThat(timing.json().path("aligned_words")).hasSize(1);
        assertThat(suno("GET", "/suno/act/wav/c1", null).json().path("code").asString()).isEqualTo("success");
        assertThat(suno("POST", "/suno/act/tags", "{'original_tags':'student'}").json().path("upsampled_tags").asString())
                .contains("student");
        assertThat(suno("POST", "/suno/act/vox/c1", "{'clip_id':'c1'}").json().path("source_clip_id").asString())
                .isEqualTo("c1");
        JsonNode persona = suno("POST", "/suno/persona/create", "{'root_clip_id':'c1','name':'P'}").json();
        assertThat(persona.toString()).contains(FakeSuno.ACCOUNT_HANDLE);
        assertThat(AccountFields.strip(persona, null).toString()).doesNotContain(FakeSuno.ACCOUNT_HANDLE)
                .doesNotContain(FakeSuno.ACCOUNT_USER_ID).contains("\"root_clip_id\":\"c1\"");
        assertThat(AccountFields.strip(suno("GET", "/suno/act/stems/c1", null).json(), null).toString())
                .doesNotContain(FakeSuno.ACCOUNT_HANDLE).contains("stem_from_id");
        assertThat(suno("GET", "/suno/act/nothing/c1", null).status()).isEqualTo(404);
    }

    @Test
    void udioMovesThroughItsStatesOneTaskPerFetch() throws Exception {
        Answer submitted = call(udio.baseUrl(), FakeUdio.KEY, "POST", "/udio/submit/music",
                "{'gen_params':{'prompt':'mother','model_type':'udio32-v1.5'}}");
        String id = SunoSubmitReply.of(submitted.status(), submitted.body()).upstreamId();
        List<TaskStatus> seen = new ArrayList<>();
        TaskUpdate last = null;
        for (int i = 0; i < 3; i++) {
            Answer a = call(udio.baseUrl(), FakeUdio.KEY, "GET", UdioPoll.path(id), null);
            last = UdioPoll.single(a.status(), a.body());
            seen.add(last.status());
        }
        assertThat(seen).containsExactly(TaskStatus.SUBMITTED, TaskStatus.IN_PROGRESS, TaskStatus.SUCCESS);
        assertThat(udio.count("GET", "/udio/fetch/" + id)).isEqualTo(3);
        Task task = new Task(1, "task_u", "udio", "udio-generate", null, 1, 1, 1, id, last.status(), last.progress(),
                null, new Task.Charge(0, 0, 1, "charged", "none", "open"), null, "{}", last.payload(), 1_000L, last.startedAt(), 2_000L, 2_000L);
        String view = UdioTaskView.single(task).toString();
        assertThat(view).contains("song_path").contains(".mp3").doesNotContain(id).doesNotContain(FakeUdio.ARTIST);

        udio.failNext("moderation: artist name");
        udio.nestSongs = true;
        Answer failing = call(udio.baseUrl(), FakeUdio.KEY, "POST", "/udio/submit/music", "{'gen_params':{'prompt':'x'}}");
        String failId = SunoSubmitReply.of(failing.status(), failing.body()).upstreamId();
        for (int i = 0; i < 3; i++) {
            Answer a = call(udio.baseUrl(), FakeUdio.KEY, "GET", UdioPoll.path(failId), null);
            last = UdioPoll.single(a.status(), a.body());
        }
        udio.nestSongs = false;
        assertThat(last.status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(last.failReason()).isEqualTo("moderation: artist name");

        assertThat(call(udio.baseUrl(), "wrong", "GET", UdioPoll.path(id), null).status()).isEqualTo(401);
        udio.busy(1);
        Answer busy = call(udio.baseUrl(), FakeUdio.KEY, "GET", UdioPoll.path(id), null);
        assertThatThrownBy(() -> UdioPoll.single(busy.status(), busy.body())).isInstanceOf(TaskFamily.UpstreamBusy.class);
        Answer empty = call(udio.baseUrl(), FakeUdio.KEY, "POST", "/udio/submit/music", "{'gen_params':{}}");
        assertThat(SunoSubmitReply.of(empty.status(), empty.body()).code()).isEqualTo("prompt_empty");
    }
}
