package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SunoErrorFormatTest {

    private final GatewayException error = GatewayException.badRequest("prompt_empty",
            "prompt: missing (expected: a description of the lyrics to write)");

    @Test
    void rendersTheTaskEnvelopeWithTheRequestIdInTheMessage() {
        JsonNode body = Json.MAPPER.readTree(SunoErrorFormat.INSTANCE.render(error, "req-42").getBytes());
        assertThat(body.path("code").asString()).isEqualTo("prompt_empty");
        assertThat(body.path("message").asString())
                .isEqualTo("prompt: missing (expected: a description of the lyrics to write) (request id: req-42)");
        assertThat(body.has("data")).isTrue();
        assertThat(body.get("data").isNull()).isTrue();
        assertThat(body.size()).isEqualTo(3);
    }

    @Test
    void streamVariantIsOneSseEvent() {
        String event = SunoErrorFormat.INSTANCE.renderStreamEvent(error, "req-42").toString();
        assertThat(event).startsWith("data: {\"code\":\"prompt_empty\"").endsWith("}\n\n");
    }

    @Test
    void recognisesAnUpstreamErrorInTheSameEnvelope() {
        SunoErrorFormat f = SunoErrorFormat.INSTANCE;
        assertThat(f.isOwnEnvelope("{\"code\":\"task_not_exist\",\"message\":\"task_not_exist\",\"data\":null}")).isTrue();
        assertThat(f.isOwnEnvelope("{\"code\":\"success\",\"message\":\"\",\"data\":\"x\"}")).isFalse();
        assertThat(f.isOwnEnvelope("{\"error\":{\"message\":\"bad key\",\"type\":\"new_api_error\"}}")).isFalse();
        assertThat(f.isOwnEnvelope("{\"code\":4,\"description\":\"x\"}")).isFalse();
        assertThat(f.isOwnEnvelope("not json")).isFalse();
    }
}
