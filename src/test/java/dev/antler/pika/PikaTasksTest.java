package dev.antler.pika;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import org.junit.jupiter.api.Test;

/** A relay's feed read as the task's state: every video counts. */
class PikaTasksTest {

    private static TaskUpdate update(String videos) {
        return PikaTasks.update(Json.MAPPER.readTree("{\"id\":\"up-1\",\"promptText\":\"p\",\"videos\":" + videos + "}"));
    }

    @Test
    void theTasksStateIsItsVideos() {
        assertThat(update("[]").status()).as("nothing reported yet").isEqualTo(TaskStatus.QUEUED);
        assertThat(update("[{\"status\":\"queued\",\"progress\":0}]").status()).isEqualTo(TaskStatus.QUEUED);
        TaskUpdate running = update("[{\"status\":\"finished\",\"progress\":100},{\"status\":\"pending\",\"progress\":40}]");
        assertThat(running.status()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(running.progress()).isEqualTo("70%");
        assertThat(update("[{\"status\":\"finished\"},{\"status\":\"finished\"}]").status()).isEqualTo(TaskStatus.SUCCESS);
        TaskUpdate failed = update("[{\"status\":\"finished\"},{\"status\":\"error\",\"error\":\"nsfw\"}]");
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(failed.failReason()).isEqualTo("nsfw");
        assertThat(update("[{\"status\":\"error\",\"error\":\"\"}]").failReason()).isEqualTo("the video could not be made");
        assertThat(update("[{\"status\":\"paused\"}]")).as("an undocumented status is no news").isNull();
        assertThat(PikaTasks.update(Json.MAPPER.readTree("{\"id\":\"up-1\"}"))).isNull();
    }
}
