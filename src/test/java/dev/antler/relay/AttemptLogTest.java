package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.accounts.Status;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AttemptLogTest {

  @Test
  void writesEveryAttemptAsAJsonArrayWithTextEscapedAndKeysMasked() {
    AttemptLog log = new AttemptLog();
    assertThat(log.json()).isNull();

    log.add(channel(7, "east \"1\"\n"), 0, "connect refused to sk-abcdefghijklmnopqrstuvwx", 12);
    log.add(channel(8, "west"), 200, null, 3);

    JsonNode array = Json.MAPPER.readTree(log.json());
    assertThat(log.size()).isEqualTo(2);
    assertThat(array).hasSize(2);
    assertThat(array.get(0).path("channel_id").asLong()).isEqualTo(7);
    assertThat(array.get(0).path("channel").asString()).isEqualTo("east \"1\"\n");
    assertThat(array.get(0).path("status").asInt()).isZero();
    assertThat(array.get(0).path("error").asString()).startsWith("connect refused to ").doesNotContain("abcdefghijklmnop");
    assertThat(array.get(0).path("ms").asLong()).isEqualTo(12);
    assertThat(array.get(1).path("error").isNull()).isTrue();
  }

  @Test
  void abbreviatesLongErrors() {
    AttemptLog log = new AttemptLog();
    log.add(channel(1, "a"), 502, "x".repeat(500), 1);

    assertThat(Json.MAPPER.readTree(log.json()).get(0).path("error").asString()).hasSize(201).endsWith("…");
  }

  private static Channel channel(long id, String name) {
    return new Channel(id, name, "openai", "https://api.example.com", "sk-up", Set.of(), Map.of(), 0, 1,
        Set.of("default"), Status.ACTIVE, null);
  }
}
