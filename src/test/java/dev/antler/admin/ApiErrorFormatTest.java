package dev.antler.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** One envelope for the admin and console APIs; only the rule for {@code type} differs. */
class ApiErrorFormatTest {

    @Test
    void theAdminTypeIsTheKindAndTheConsoleTypeIsTheCode() {
        var conflict = Problems.conflict("name", "alice", "a name no other user has");
        JsonNode admin = Json.MAPPER.readTree(ApiErrorFormat.ADMIN.render(conflict, "req_1").getBytes()).path("error");
        JsonNode console = Json.MAPPER.readTree(ApiErrorFormat.CONSOLE.render(conflict, "req_2").getBytes()).path("error");

        assertThat(admin.path("type").asString()).isEqualTo("invalid_request");
        assertThat(console.path("type").asString()).isEqualTo("conflict");
        for (JsonNode error : new JsonNode[] {admin, console}) {
            assertThat(error.path("code").asString()).isEqualTo("conflict");
            assertThat(error.path("message").asString()).isEqualTo("name: alice (expected: a name no other user has)");
        }
        assertThat(admin.path("request_id").asString()).isEqualTo("req_1");
        assertThat(console.path("request_id").asString()).isEqualTo("req_2");
        assertThat(ApiErrorFormat.CONSOLE.renderStreamEvent(conflict, "req_2"))
                .isEqualTo(ApiErrorFormat.CONSOLE.render(conflict, "req_2"));
    }
}
