package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/** Gateway configs and client calls shared by the Suno and Udio tests over real sockets. */
final class SunoGateway {

    static final String ALICE = TestUsers.key("alice");
    static final String BOB = TestUsers.key("bob");

    private SunoGateway() {}

    /** One Suno channel on {@code suno}, users alice and bob (10 USD each), and the {@code tasks} section. */
    static String yaml(FakeSuno suno, String tasks) {
        return """
                channels:
                  - { name: suno-a, type: suno, base_url: "%s", key: %s }
                users:
                %s
                tasks: %s
                """.formatted(suno.baseUrl(), FakeSuno.KEY, TestUsers.yaml("alice", "bob"), tasks);
    }

    /** A gateway that polls only when a test says so. */
    static GatewayHarness start(FakeSuno suno) {
        return GatewayHarness.start(yaml(suno, "{ poll_interval_ms: 600000 }"));
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    /** Submits {@code body} to {@code path}; asserts it was accepted, returns the gateway's task id. */
    static String submit(GatewayHarness gw, String key, String path, String body) {
        HttpResponse<String> r = gw.post(path, key, body.replace('\'', '"'));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.path("code").asString()).as(r.body()).isEqualTo("success");
        assertThat(answer.path("message").asString()).isEmpty();
        String id = answer.path("data").asString();
        assertThat(id).startsWith("task_");
        return id;
    }

    /** Fetches {@code GET <base><id>} until the task's status is {@code status}; returns the last answer. */
    static HttpResponse<String> fetchUntil(GatewayHarness gw, String key, String base, String id, String status) {
        HttpResponse<String> r = null;
        for (int i = 0; i < 10; i++) {
            r = gw.get(base + id, key);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            if (json(r).path("data").path("status").asString().equals(status)) {
                return r;
            }
        }
        throw new AssertionError("task " + id + " never reached " + status + ": " + r.body());
    }
}
