package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.json.Json;
import dev.antler.tasks.TaskFamily;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SunoPollTest {

    static byte[] bytes(String text) {
        return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    static String item(String id, String status, String progress, String reason, String clips) {
        return "{'task_id':'" + id + "','action':'MUSIC','status':'" + status + "','fail_reason':'" + reason
                + "','submit_time':1716191749,'start_time':" + (status.equals("SUBMITTED") ? 0 : 1716191786)
                + ",'finish_time':0,'progress':'" + progress + "','data':" + clips + "}";
    }

    @Test
    void batchAnswerBecomesOneUpdatePerReportedTask() {
        String answer = "{'code':'success','message':'','data':["
                + item("up-1", "IN_PROGRESS", "40%", "", "[{'id':'c1','status':'streaming'},{'id':'c2','status':'streaming'}]") + ","
                + item("up-2", "SUCCESS", "", "", "[{'id':'c3','status':'complete'}]") + ","
                + item("up-3", "SUBMITTED", "0%", "", "[]") + ","
                + item("", "SUCCESS", "100%", "", "[]") + "]}";

        Map<String, TaskUpdate> updates = SunoPoll.batch(200, bytes(answer));

        assertThat(updates).containsOnlyKeys("up-1", "up-2", "up-3");
        TaskUpdate running = updates.get("up-1");
        assertThat(running.status()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(running.progress()).isEqualTo("40%");
        assertThat(running.failReason()).isNull();
        assertThat(running.startedAt()).isEqualTo(1_716_191_786_000L);
        assertThat(Json.MAPPER.readTree(running.payload()).path("data")).hasSize(2);
        assertThat(updates.get("up-2").status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(updates.get("up-2").progress()).isEqualTo("100%");
        assertThat(updates.get("up-3").status()).isEqualTo(TaskStatus.SUBMITTED);
        assertThat(updates.get("up-3").startedAt()).isNull();
    }

    @Test
    void idsTheUpstreamDidNotReportOrCannotNameAreAbsent() {
        String answer = "{'code':'success','message':'','data':["
                + item("up-1", "UNKNOWN", "0%", "", "[]") + "," + item("up-2", "", "", "", "[{'status':'queued'}]") + "]}";
        Map<String, TaskUpdate> updates = SunoPoll.batch(200, bytes(answer));
        assertThat(updates).containsOnlyKeys("up-2");
        assertThat(updates.get("up-2").status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(SunoPoll.batch(200, bytes("{'code':'success','message':'','data':[]}"))).isEmpty();
    }

    @Test
    void aFailureKeepsItsReasonOrTheClipsError() {
        String answer = "{'code':'success','data':["
                + item("up-1", "FAILURE", "20%", "Unable to generate audio", "[{'id':'c1','status':'error'}]") + ","
                + item("up-2", "FAILURE", "", "", "[{'id':'c2','status':'error','metadata':{'error_type':'moderation',"
                + "'error_message':'Song description contains artist name'}}]") + ","
                + item("up-3", "", "", "", "[{'id':'c3','status':'error'}]") + "]}";
        Map<String, TaskUpdate> updates = SunoPoll.batch(200, bytes(answer));
        assertThat(updates.get("up-1").status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(updates.get("up-1").failReason()).isEqualTo("Unable to generate audio");
        assertThat(updates.get("up-1").progress()).isEqualTo("100%");
        assertThat(updates.get("up-2").failReason()).isEqualTo("Song description contains artist name");
        assertThat(updates.get("up-3").status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(updates.get("up-3").failReason()).isEqualTo("the upstream reported FAILURE without a reason");
    }

    @Test
    void tooManyRequestsBacksThePollingOff() {
        assertThatThrownBy(() -> SunoPoll.batch(429, bytes("{'code':'rate_limit','message':'slow down'}")))
                .isInstanceOf(TaskFamily.UpstreamBusy.class);
        assertThatThrownBy(() -> SunoPoll.single(429, new byte[0])).isInstanceOf(TaskFamily.UpstreamBusy.class);
    }

    @Test
    void otherBadBatchAnswersFailThePoll() {
        assertThatThrownBy(() -> SunoPoll.batch(500, bytes("{}"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HTTP 500");
        assertThatThrownBy(() -> SunoPoll.batch(200, bytes("{'code':'get_tasks_failed','message':'db down','data':null}")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("get_tasks_failed: db down");
        assertThatThrownBy(() -> SunoPoll.batch(200, bytes("<html>"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void singleFetch() {
        TaskUpdate u = SunoPoll.single(200, bytes("{'code':'success','message':'','data':"
                + item("up-1", "queued", "5%", "", "[{'status':'queued'}]") + "}"));
        assertThat(u.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(u.progress()).isEqualTo("5%");

        assertThat(SunoPoll.single(400, bytes("{'code':'task_not_exist','message':'task_not_exist','data':null}"))).isNull();
        assertThat(SunoPoll.single(404, new byte[0])).isNull();
        assertThat(SunoPoll.single(200, bytes("{'code':'task_not_exist','message':'x','data':null}"))).isNull();
        assertThatThrownBy(() -> SunoPoll.single(502, new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void progressIsAlwaysAPercentage() {
        assertThat(SunoPoll.progress("55%", TaskStatus.IN_PROGRESS)).isEqualTo("55%");
        assertThat(SunoPoll.progress("250%", TaskStatus.IN_PROGRESS)).isEqualTo("100%");
        assertThat(SunoPoll.progress("half", TaskStatus.IN_PROGRESS)).isEqualTo("0%");
        assertThat(SunoPoll.progress("", TaskStatus.SUBMITTED)).isEqualTo("0%");
        assertThat(SunoPoll.progress("10%", TaskStatus.FAILURE)).isEqualTo("100%");
    }

    @Test
    void requestsToTheUpstream() {
        assertThat(new String(SunoPoll.batchRequest(List.of("up-1", "up-2")), StandardCharsets.UTF_8))
                .isEqualTo("{\"ids\":[\"up-1\",\"up-2\"]}");
        assertThat(SunoPoll.singlePath("up-1")).isEqualTo("/suno/fetch/up-1");
        assertThatThrownBy(() -> SunoPoll.singlePath("../x")).hasMessageContaining("task_id: ../x");
    }

    @Test
    void submitAnswers() {
        SunoSubmitReply ok = SunoSubmitReply.of(200, bytes("{'code':'success','message':'','data':'736a6f88-bd29'}"));
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.upstreamId()).isEqualTo("736a6f88-bd29");

        SunoSubmitReply refused = SunoSubmitReply.of(500, bytes("{'code':'quota_not_enough','message':'user quota is not enough','data':null}"));
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.upstreamId()).isNull();
        assertThat(refused.httpStatus()).isEqualTo(500);
        assertThat(refused.code()).isEqualTo("quota_not_enough");
        assertThat(refused.message()).isEqualTo("user quota is not enough");

        SunoSubmitReply on200 = SunoSubmitReply.of(200, bytes("{'code':'prompt_empty','message':'prompt_empty','data':null}"));
        assertThat(on200.accepted()).isFalse();
        assertThat(on200.code()).isEqualTo("prompt_empty");

        SunoSubmitReply openAi = SunoSubmitReply.of(401, bytes("{'error':{'message':'invalid token','type':'new_api_error'}}"));
        assertThat(openAi.code()).isEqualTo("upstream_error");
        assertThat(openAi.message()).isEqualTo("invalid token");

        SunoSubmitReply busy = SunoSubmitReply.of(429, bytes("<html>busy</html>"));
        assertThat(busy.code()).isEqualTo("upstream_rate_limited");
        assertThat(busy.message()).contains("HTTP 429");

        SunoSubmitReply noId = SunoSubmitReply.of(200, bytes("{'code':'success','message':'','data':''}"));
        assertThat(noId.accepted()).isFalse();
        assertThat(noId.code()).isEqualTo("upstream_error");
        assertThat(SunoSubmitReply.of(502, null).message()).contains("without a JSON object");
    }
}
