package dev.antler.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The family's parts without a server: the Prefer header, the signature, the events, the output links, updates. */
class ReplicatePartsTest {

    @Test
    void signsAsTheStandardWebhooksSpecExample() {
        byte[] key = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(WebhookSigner.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void readsPreferWait() {
        assertThat(ReplicateInput.waitSeconds(null)).isZero();
        assertThat(ReplicateInput.waitSeconds("respond-async")).isZero();
        assertThat(ReplicateInput.waitSeconds("wait")).isEqualTo(60);
        assertThat(ReplicateInput.waitSeconds("wait=5")).isEqualTo(5);
        assertThat(ReplicateInput.waitSeconds("respond-async, wait=60")).isEqualTo(60);
        for (String bad : List.of("wait=0", "wait=61", "wait=abc", "wait=")) {
            assertThatThrownBy(() -> ReplicateInput.waitSeconds(bad)).isInstanceOf(GatewayException.class)
                    .hasMessageStartingWith("Prefer: ");
        }
    }

    @Test
    void namesTheEventsOfAChange() {
        JsonNode none = Json.MAPPER.missingNode();
        JsonNode out = Json.MAPPER.readTree("[\"https://x.test/a.png\"]");
        assertThat(WebhookEvents.between("starting", none, "", "processing", none, "")).containsExactly("start");
        assertThat(WebhookEvents.between("starting", none, "", "processing", none, "boot\n"))
                .containsExactly("start", "logs");
        assertThat(WebhookEvents.between("processing", none, "a", "processing", out, "a")).containsExactly("output");
        assertThat(WebhookEvents.between("processing", out, "a", "succeeded", out, "a")).containsExactly("completed");
        assertThat(WebhookEvents.between("starting", none, "", "canceled", none, "")).containsExactly("completed");
        assertThat(WebhookEvents.between("processing", out, "a", "processing", out, "a")).isEmpty();
    }

    @Test
    void replacesEveryFileUrlOfTheOutputInOrderAndNothingElse() {
        JsonNode output = Json.MAPPER.readTree("{\"images\":[\"https://cdn.test/0.png\",\"http://cdn.test/1.png\"],"
                + "\"caption\":\"a cat\",\"n\":2,\"mask\":\"data:image/png;base64,AAAA\",\"video\":\"https://cdn.test/v.mp4\"}");
        assertThat(ReplicateOutputs.urls(output)).containsExactly("https://cdn.test/0.png", "http://cdn.test/1.png",
                "https://cdn.test/v.mp4");
        JsonNode rewritten = ReplicateOutputs.rewrite(output, n -> n == 1 ? null : "https://gw.test/results/t/k/" + n);
        assertThat(rewritten.toString()).isEqualTo("{\"images\":[\"https://gw.test/results/t/k/0\",null],"
                + "\"caption\":\"a cat\",\"n\":2,\"mask\":\"data:image/png;base64,AAAA\","
                + "\"video\":\"https://gw.test/results/t/k/2\"}");
        JsonNode text = Json.MAPPER.readTree("[\"Here is\",\" a haiku\"]");
        assertThat(ReplicateOutputs.rewrite(text, n -> "x")).isEqualTo(text);
    }

    private static Task task(TaskStatus status, String billing, long units, String payload) {
        return new Task(1, "task_1", ReplicateTasks.FAMILY, ReplicateSubmit.ACTION, null, 1, 1, 1, "up-1", status,
                "0%", null, Task.Charge.pending(units * 1000, 1000, units),
                null, "{\"model\":\"m/n\",\"billing\":\"" + billing + "\"}", payload, 0, null, null, 0);
    }

    @Test
    void aLookWithNothingNewStoresNothingAndASuccessSettlesOnWhatWasMade() {
        JsonNode processing = Json.MAPPER.readTree("{\"status\":\"processing\",\"logs\":\"a\",\"output\":null}");
        TaskUpdate started = ReplicateTasks.update(task(TaskStatus.SUBMITTED, "images", 2, null), processing);
        assertThat(started.status()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(Json.MAPPER.readTree(started.payload()).path("_events").toString()).isEqualTo("[\"start\",\"logs\"]");
        assertThat(ReplicateTasks.update(task(TaskStatus.IN_PROGRESS, "images", 2, started.payload()), processing))
                .isNull();

        JsonNode done = Json.MAPPER.readTree("{\"status\":\"succeeded\",\"output\":[\"https://c.test/a.png\"],"
                + "\"metrics\":{\"predict_time\":75.2},\"id\":\"up-1\",\"urls\":{\"get\":\"https://api.test\"}}");
        TaskUpdate images = ReplicateTasks.update(task(TaskStatus.IN_PROGRESS, "images", 2, null), done);
        assertThat(images.units()).as("one image made of two held").isEqualTo(1);
        assertThat(images.payload()).doesNotContain("up-1").doesNotContain("api.test");
        assertThat(ReplicateTasks.update(task(TaskStatus.IN_PROGRESS, "seconds", 60, null), done).units())
                .as("76 s made, at most the 60 held").isEqualTo(60);
        assertThat(ReplicateTasks.update(task(TaskStatus.IN_PROGRESS, "call", 1, null), done).units()).isNull();
        assertThat(ReplicateTasks.update(task(TaskStatus.IN_PROGRESS, "call", 1, null),
                Json.MAPPER.readTree("{\"status\":\"booting\"}"))).as("an undocumented status").isNull();
    }
}
