package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class SunoTaskViewTest {

    static final String UPSTREAM_ID = "346c5d10-a4a1-4f49-a851-66a7dae6cfaf";

    /** A report as an upstream's batch fetch gives it (DeerAPI's sample), with the account fields clips carry. */
    static final String REPORT = ("{'task_id':'" + UPSTREAM_ID + "','notify_hook':'https://upstream.example/hook',"
            + "'action':'MUSIC','status':'IN_PROGRESS','fail_reason':'','submit_time':1716191749,'start_time':1716191786,"
            + "'finish_time':0,'progress':'40%','data':["
            + "{'id':'e9893d04','title':'Electric Dance Party','status':'streaming','audio_url':'https://cdn1.suno.ai/e9893d04.mp3',"
            + "'image_url':'https://cdn1.suno.ai/image_e9893d04.png','video_url':'','model_name':'chirp-v3',"
            + "'major_model_version':'v3','user_id':'u-1','handle':'acct_handle','display_name':'Acct Name',"
            + "'avatar_image_url':'https://cdn1.suno.ai/a.webp','is_handle_updated':false,'is_following':false,"
            + "'is_liked':false,'is_trashed':false,'play_count':0,'upvote_count':0,'is_public':false,"
            + "'metadata':{'tags':'edm','prompt':'[Verse] la','gpt_description_prompt':'miku dance','duration':null,"
            + "'error_type':null,'error_message':null,'history':[{'id':'c0','user_id':'u-1'}]}},"
            + "{'id':'fe69611b','title':'Electric Dance Party','status':'streaming','user_id':'u-1','handle':'acct_handle',"
            + "'display_name':'Acct Name','metadata':{'tags':'edm'}}]}").replace('\'', '"');

    static Task task(String action, TaskStatus status, String progress, String payload, Long finishedAt, String hook) {
        return new Task(5, "task_Pub123", "suno", action, null, 7, 8, 3, UPSTREAM_ID, status, progress,
                status == TaskStatus.FAILURE ? "moderation: banned words" : null, new Task.Charge(300_000_000L, 0, 1, "charged", "none", "open"),
                hook, "{}", payload, 1_716_191_749_123L, 1_716_191_786_999L, finishedAt, 1_716_191_800_000L);
    }

    @Test
    void rendersTheTaskDtoInSecondsWithTheGatewaysIdAndClientsHook() {
        Task t = task("MUSIC", TaskStatus.IN_PROGRESS, "40%", REPORT, null, "https://client.example/hook");
        ObjectNode view = SunoTaskView.render(t);

        assertThat(view.path("task_id").asString()).isEqualTo("task_Pub123");
        assertThat(view.path("notify_hook").asString()).isEqualTo("https://client.example/hook");
        assertThat(view.path("action").asString()).isEqualTo("MUSIC");
        assertThat(view.path("status").asString()).isEqualTo("IN_PROGRESS");
        assertThat(view.path("fail_reason").asString()).isEmpty();
        assertThat(view.path("submit_time").asLong()).isEqualTo(1_716_191_749L);
        assertThat(view.path("start_time").asLong()).isEqualTo(1_716_191_786L);
        assertThat(view.path("finish_time").asLong()).isZero();
        assertThat(view.path("progress").asString()).isEqualTo("40%");
        assertThat(view.path("data")).hasSize(2);
        assertThat(view.path("data").get(0).path("audio_url").asString()).isEqualTo("https://cdn1.suno.ai/e9893d04.mp3");
        assertThat(view.path("data").get(0).path("metadata").path("tags").asString()).isEqualTo("edm");
    }

    @Test
    void neverShowsTheUpstreamsTaskIdHookOrAccount() {
        String text = Json.MAPPER.writeValueAsString(SunoTaskView.render(
                task("MUSIC", TaskStatus.IN_PROGRESS, "40%", REPORT, null, null)));

        assertThat(text).doesNotContain(UPSTREAM_ID).doesNotContain("upstream.example")
                .doesNotContain("acct_handle").doesNotContain("Acct Name").doesNotContain("u-1")
                .doesNotContain("a.webp");
        for (String field : List.of("user_id", "handle", "display_name", "avatar_image_url", "is_handle_updated",
                "is_following", "is_liked", "is_trashed", "play_count", "upvote_count", "is_public", "notify_hook")) {
            assertThat(text).as(field).doesNotContain("\"" + field + "\"");
        }
    }

    @Test
    void terminalTasksShowFullProgressAndTheirFinishTime() {
        ObjectNode done = SunoTaskView.render(task("MUSIC", TaskStatus.SUCCESS, "90%", REPORT, 1_716_192_000_500L, null));
        assertThat(done.path("status").asString()).isEqualTo("SUCCESS");
        assertThat(done.path("progress").asString()).isEqualTo("100%");
        assertThat(done.path("finish_time").asLong()).isEqualTo(1_716_192_000L);

        ObjectNode failed = SunoTaskView.render(task("MUSIC", TaskStatus.FAILURE, null, REPORT, 1_716_192_000_500L, null));
        assertThat(failed.path("status").asString()).isEqualTo("FAILURE");
        assertThat(failed.path("fail_reason").asString()).isEqualTo("moderation: banned words");
        assertThat(failed.path("progress").asString()).isEqualTo("100%");

        assertThat(SunoTaskView.render(task("MUSIC", TaskStatus.CANCEL, null, null, 1L, null)).path("status").asString())
                .isEqualTo("FAILURE");
        assertThat(SunoTaskView.render(task("MUSIC", TaskStatus.QUEUED, null, null, null, null)).path("progress")
                .asString()).isEqualTo("0%");
    }

    @Test
    void aTaskWithoutAReportShowsNoClips() {
        ObjectNode music = SunoTaskView.render(task("MUSIC", TaskStatus.SUBMITTED, "0%", null, null, null));
        assertThat(music.path("data").isArray()).isTrue();
        assertThat(music.path("data")).isEmpty();
        assertThat(music.path("status").asString()).isEqualTo("SUBMITTED");
        assertThat(SunoTaskView.render(task("LYRICS", TaskStatus.SUBMITTED, "0%", null, null, null)).get("data").isNull())
                .isTrue();
    }

    @Test
    void lyricsShowTheirTextObject() {
        String report = ("{'task_id':'" + UPSTREAM_ID + "','action':'LYRICS','status':'SUCCESS','data':"
                + "{'id':'" + UPSTREAM_ID + "','text':'[Verse] hello','title':'Hello','status':'complete'}}").replace('\'', '"');
        JsonNode data = SunoTaskView.render(task("LYRICS", TaskStatus.SUCCESS, "100%", report, 2_000_000L, null)).path("data");
        assertThat(data.path("text").asString()).isEqualTo("[Verse] hello");
        assertThat(data.path("title").asString()).isEqualTo("Hello");
        assertThat(data.path("status").asString()).isEqualTo("complete");
        assertThat(data.has("id")).as("an id equal to the upstream's task id is dropped").isFalse();
    }

    @Test
    void singleAndBatchEnvelopes() {
        Task a = task("MUSIC", TaskStatus.IN_PROGRESS, "40%", REPORT, null, null);
        Task b = task("LYRICS", TaskStatus.SUBMITTED, "0%", null, null, null);
        ObjectNode single = SunoTaskView.single(a);
        assertThat(single.path("code").asString()).isEqualTo("success");
        assertThat(single.path("message").asString()).isEmpty();
        assertThat(single.path("data").path("task_id").asString()).isEqualTo("task_Pub123");

        ObjectNode batch = SunoTaskView.batch(List.of(a, b));
        assertThat(batch.path("code").asString()).isEqualTo("success");
        assertThat(batch.path("data")).hasSize(2);
        assertThat(batch.path("data").get(1).path("action").asString()).isEqualTo("LYRICS");
        assertThat(SunoTaskView.batch(List.of()).path("data")).isEmpty();
    }

    @Test
    void accountFieldsAreStrippedAtAnyDepthFromAPassThroughAnswer() {
        JsonNode persona = Json.MAPPER.readTree(("{'id':'p1','name':'P','user_display_name':'Acct','user_handle':'h',"
                + "'user_image_url':'x','clip':{'id':'c1','user_id':'u','handle':'h','display_name':'d','title':'T'},"
                + "'persona_clips':[{'clip':{'id':'c2','avatar_image_url':'a','is_handle_updated':true}}]}").replace('\'', '"'));
        JsonNode clean = AccountFields.strip(persona, null);
        assertThat(clean.toString()).isEqualTo(("{'id':'p1','name':'P','clip':{'id':'c1','title':'T'},"
                + "'persona_clips':[{'clip':{'id':'c2'}}]}").replace('\'', '"'));
        assertThat(persona.has("user_handle")).as("the input is left as it was").isTrue();
        assertThat(AccountFields.strip(Json.MAPPER.readTree("[\"up-1\",\"keep\"]"), "up-1").toString())
                .isEqualTo("[\"keep\"]");
    }
}
