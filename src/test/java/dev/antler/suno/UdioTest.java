package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskFamily;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Udio: submit validation, status from songs, the single-task poll and the client view. */
class UdioTest {

    static final String UPSTREAM_ID = "8a3bcd6e-79ab-454a-ac66-797b91bbb2f5";

    static ObjectNode json(String text) {
        return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    static GatewayException refused(String path, String body) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> UdioSubmit.of(path, json(body)));
        assertThat(e).as(body).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("(expected: ");
        return e;
    }

    static String song(String id, boolean finished, String errorType) {
        return "{'id':'" + id + "','title':'The Untitled','song_path':'https://storage.example/" + id + ".mp3',"
                + "'image_path':'https://img.example/" + id + "','duration':32.8,'lyrics':'','tags':['jazz'],"
                + "'finished':" + finished + ",'error_type':" + (errorType == null ? "null" : "'" + errorType + "'")
                + ",'error_code':null,'error_detail':null,'user_id':'649ae9a6','artist':'DivingWaterphone0337',"
                + "'artist_image':'https://lh3.example/a','liked':false,'likes':0,'plays':0,'generation_id':'"
                + UPSTREAM_ID + "'}";
    }

    static String report(String status, String songsField, String... songs) {
        String list = "[" + String.join(",", songs) + "]";
        String body = songsField.equals("songs") ? "'songs':" + list : "'data':{'songs':" + list + "}";
        return "{'task_id':'" + UPSTREAM_ID + "','action':'udio-generate','status':'" + status + "','fail_reason':'',"
                + "'submit_time':1732548161,'start_time':1732548173,'finish_time':0,'progress':'','" + body.substring(1) + "}";
    }

    @Test
    void submitDefaultsTheModelAndKeepsTheHook() {
        UdioSubmit s = UdioSubmit.of("/udio/submit/music", json("{'notify_hook':'https://c.example/h','gen_params':"
                + "{'prompt':'mother','lyrics':'','lyrics_type':'generate','seed':-1,'song_section_start':0.4,"
                + "'prompt_strength':0.5,'config':{'mode':'regular'}}}"));
        assertThat(s.model()).isEqualTo("udio32-v1.5");
        assertThat(s.priceKeys()).containsExactly("udio32-v1.5", "udio_music");
        assertThat(s.taskAction()).isEqualTo("udio-generate");
        assertThat(s.upstreamPath()).isEqualTo("/udio/submit/music");
        assertThat(s.notifyHook()).isEqualTo("https://c.example/h");
        assertThat(s.upstreamBody().has("notify_hook")).isFalse();
        assertThat(s.upstreamBody().path("gen_params").path("model_type").asString()).isEqualTo("udio32-v1.5");
        assertThat(UdioSubmit.of("/udio/submit/MUSIC", json("{'gen_params':{'prompt':'x','model_type':'udio130-v1.5'}}"))
                .model()).isEqualTo("udio130-v1.5");
    }

    @Test
    void submitValidation() {
        assertThat(refused("/udio/submit/video", "{}").code()).isEqualTo("invalid_action");
        assertThat(refused("/udio/submit/music", "{'prompt':'x'}").code()).isEqualTo("missing_gen_params");
        assertThat(refused("/udio/submit/music", "{'gen_params':'x'}").code()).isEqualTo("invalid_gen_params");
        GatewayException empty = refused("/udio/submit/music", "{'gen_params':{'lyrics':'la'}}");
        assertThat(empty.code()).isEqualTo("prompt_empty");
        assertThat(empty.getMessage()).startsWith("gen_params.prompt: missing");
        assertThat(refused("/udio/submit/music", "{'gen_params':{'prompt':'x','seed':'random'}}").code())
                .isEqualTo("invalid_seed");
        assertThat(refused("/udio/submit/music", "{'gen_params':{'prompt':'x','prompt_strength':-0.1}}").code())
                .isEqualTo("invalid_prompt_strength");
        assertThat(refused("/udio/submit/music", "{'gen_params':{'prompt':'x','bypass_prompt_optimization':'no'}}")
                .code()).isEqualTo("invalid_bypass_prompt_optimization");
        assertThat(refused("/udio/submit/music", "{'gen_params':{'prompt':'x','lyrics_type':'user'}}").code())
                .isEqualTo("missing_lyrics");
        assertThat(refused("/udio/submit/music", "{'gen_params':{'prompt':'x','model_type':'udio 32'}}").code())
                .isEqualTo("invalid_model_type");
        assertThat(refused("/udio/submit/music", "{'gen_params':{'prompt':'x','model_type':'suno_lyrics'}}").code())
                .isEqualTo("invalid_model_type");
        assertThat(refused("/udio/submit/music", "{'gen_params':{'prompt':'x','config':[]}}").code())
                .isEqualTo("invalid_config");
        assertThat(refused("/udio/submit/music", "{'gen_params':{'prompt':'x'},'notify_hook':'nope'}").code())
                .isEqualTo("invalid_notify_hook");
    }

    @Test
    void singlePollReadsBothSongShapes() {
        TaskUpdate running = UdioPoll.single(200, bytes("{'code':'success','message':'','data':"
                + report("IN_PROGRESS", "songs", song("s1", false, null), song("s2", true, null)) + "}"));
        assertThat(running.status()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(running.progress()).isEqualTo("0%");
        assertThat(running.startedAt()).isEqualTo(1_732_548_173_000L);

        TaskUpdate nested = UdioPoll.single(200, bytes("{'code':'success','message':'','data':"
                + report("", "data", song("s1", true, null), song("s2", true, null)) + "}"));
        assertThat(nested.status()).as("no task status: the songs decide").isEqualTo(TaskStatus.SUCCESS);
        assertThat(nested.progress()).isEqualTo("100%");

        TaskUpdate failed = UdioPoll.single(200, bytes("{'code':'success','data':"
                + report("", "songs", song("s1", false, "moderation"), song("s2", true, null)) + "}"));
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(failed.failReason()).isEqualTo("moderation");

        assertThat(UdioPoll.single(200, bytes("{'code':'success','data':" + report("UNKNOWN", "songs") + "}"))).isNull();
        assertThat(UdioPoll.single(400, bytes("{'code':'task_not_exist','message':'task_not_exist','data':null}"))).isNull();
        assertThatThrownBy(() -> UdioPoll.single(429, new byte[0])).isInstanceOf(TaskFamily.UpstreamBusy.class);
        assertThatThrownBy(() -> UdioPoll.single(503, new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThat(UdioPoll.path("up-1")).isEqualTo("/udio/fetch/up-1");
    }

    @Test
    void viewShowsSongsWithoutTheAccountOrTheUpstreamId() {
        String payload = report("SUCCESS", "data", song("s1", true, null), song("s2", true, null)).replace('\'', '"');
        Task task = new Task(9, "task_Udio1", "udio", "udio-generate", null, 7, 8, 3, UPSTREAM_ID, TaskStatus.SUCCESS,
                "100%", null, new Task.Charge(300_000_000L, 0, 1, "charged", "none", "open"), null, "{}", payload, 1_732_548_161_000L,
                1_732_548_173_000L, 1_732_548_213_900L, 0);
        ObjectNode root = UdioTaskView.single(task);
        ObjectNode view = (ObjectNode) root.path("data");

        assertThat(root.path("code").asString()).isEqualTo("success");
        assertThat(view.path("task_id").asString()).isEqualTo("task_Udio1");
        assertThat(view.path("action").asString()).isEqualTo("udio-generate");
        assertThat(view.path("status").asString()).isEqualTo("SUCCESS");
        assertThat(view.path("finish_time").asLong()).isEqualTo(1_732_548_213L);
        assertThat(view.path("songs")).hasSize(2);
        assertThat(view.path("songs").get(0).path("song_path").asString()).isEqualTo("https://storage.example/s1.mp3");
        assertThat(view.path("songs").get(0).path("tags").get(0).asString()).isEqualTo("jazz");
        String text = root.toString();
        assertThat(text).doesNotContain(UPSTREAM_ID).doesNotContain("DivingWaterphone0337").doesNotContain("649ae9a6");
        for (String field : List.of("user_id", "artist", "artist_image", "liked", "likes", "plays", "generation_id")) {
            assertThat(text).as(field).doesNotContain("\"" + field + "\"");
        }
    }

    static byte[] bytes(String text) {
        return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }
}
