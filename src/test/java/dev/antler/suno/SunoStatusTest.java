package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.tasks.TaskStatus;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The mapping table of {@link SunoStatus}, row by row. */
class SunoStatusTest {

    static JsonNode json(String text) {
        return Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    static JsonNode clips(String... statuses) {
        StringBuilder out = new StringBuilder("[");
        for (String status : statuses) {
            out.append(out.length() > 1 ? "," : "").append("{'id':'c','status':'").append(status).append("'}");
        }
        return json(out.append(']').toString());
    }

    @Test
    void taskLevelWordsInAnyCase() {
        assertThat(SunoStatus.ofTask("NOT_START")).contains(TaskStatus.NOT_START);
        assertThat(SunoStatus.ofTask("SUBMITTED")).contains(TaskStatus.SUBMITTED);
        assertThat(SunoStatus.ofTask("QUEUED")).contains(TaskStatus.QUEUED);
        assertThat(SunoStatus.ofTask("IN_PROGRESS")).contains(TaskStatus.IN_PROGRESS);
        assertThat(SunoStatus.ofTask("SUCCESS")).contains(TaskStatus.SUCCESS);
        assertThat(SunoStatus.ofTask("FAILURE")).contains(TaskStatus.FAILURE);
        assertThat(SunoStatus.ofTask("in_progress")).contains(TaskStatus.IN_PROGRESS);
        assertThat(SunoStatus.ofTask(" Success ")).contains(TaskStatus.SUCCESS);
        assertThat(SunoStatus.ofTask("queueing")).contains(TaskStatus.QUEUED);
        assertThat(SunoStatus.ofTask("processing")).contains(TaskStatus.IN_PROGRESS);
        assertThat(SunoStatus.ofTask("failed")).contains(TaskStatus.FAILURE);
    }

    @Test
    void unknownWordsKeepTheTaskWhereItWas() {
        assertThat(SunoStatus.ofTask("UNKNOWN")).isEmpty();
        assertThat(SunoStatus.ofTask("MODAL")).isEmpty();
        assertThat(SunoStatus.ofTask(null)).isEmpty();
        // a task status that is present but unknown is not overridden by the clips
        assertThat(SunoStatus.of("UNKNOWN", clips("complete", "complete"))).isEmpty();
    }

    @Test
    void clipsSpeakWhenTheTaskStatusIsMissing() {
        assertThat(SunoStatus.of(null, clips("submitted", "submitted"))).contains(TaskStatus.SUBMITTED);
        assertThat(SunoStatus.of("", clips("queued", "submitted"))).contains(TaskStatus.QUEUED);
        assertThat(SunoStatus.of(" ", clips("streaming", "queued"))).contains(TaskStatus.IN_PROGRESS);
        assertThat(SunoStatus.of(null, clips("complete", "streaming"))).contains(TaskStatus.IN_PROGRESS);
        assertThat(SunoStatus.of(null, clips("COMPLETE", "complete"))).contains(TaskStatus.SUCCESS);
        assertThat(SunoStatus.of(null, clips("complete", "error"))).contains(TaskStatus.FAILURE);
        assertThat(SunoStatus.of(null, clips("error", "streaming"))).contains(TaskStatus.FAILURE);
        assertThat(SunoStatus.of(null, clips("complete", "mystery"))).contains(TaskStatus.IN_PROGRESS);
        assertThat(SunoStatus.of(null, clips("mystery"))).isEmpty();
        assertThat(SunoStatus.of(null, clips())).isEmpty();
        assertThat(SunoStatus.of(null, null)).isEmpty();
        assertThat(SunoStatus.of(null, json("'text'"))).isEmpty();
    }

    @Test
    void aLyricsObjectIsOneClip() {
        assertThat(SunoStatus.of(null, json("{'id':'l1','text':'la','title':'t','status':'complete'}")))
                .contains(TaskStatus.SUCCESS);
        assertThat(SunoStatus.of(null, json("{'id':'l1','status':'error'}"))).contains(TaskStatus.FAILURE);
        assertThat(SunoStatus.of(null, json("{'id':'l1','status':'queued'}"))).contains(TaskStatus.QUEUED);
    }

    @Test
    void taskLevelWinsOverClips() {
        assertThat(SunoStatus.of("IN_PROGRESS", clips("complete", "complete"))).contains(TaskStatus.IN_PROGRESS);
        assertThat(SunoStatus.of("SUCCESS", clips("streaming"))).contains(TaskStatus.SUCCESS);
    }

    @Test
    void udioSongs() {
        JsonNode running = json("[{'id':'s1','finished':false,'error_type':null},{'id':'s2','finished':true}]");
        JsonNode done = json("[{'id':'s1','finished':true,'error_type':null,'error_code':''},{'id':'s2','finished':true}]");
        JsonNode failed = json("[{'id':'s1','finished':false,'error_type':'moderation'},{'id':'s2','finished':true}]");
        assertThat(SunoStatus.ofUdio(null, running)).contains(TaskStatus.IN_PROGRESS);
        assertThat(SunoStatus.ofUdio("", done)).contains(TaskStatus.SUCCESS);
        assertThat(SunoStatus.ofUdio(null, failed)).contains(TaskStatus.FAILURE);
        assertThat(SunoStatus.ofUdio(null, json("[]"))).isEmpty();
        assertThat(SunoStatus.ofUdio("QUEUED", done)).contains(TaskStatus.QUEUED);
        assertThat(SunoStatus.ofUdio("whatever", done)).isEqualTo(Optional.empty());
    }
}
