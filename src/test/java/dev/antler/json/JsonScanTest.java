package dev.antler.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonScanTest {

  @Test
  void findsAnObjectValuedPropertyAtAnyDepth() {
    assertThat(JsonScan.hasObjectProperty("{\"usage\":{\"a\":1}}", "usage")).isTrue();
    assertThat(JsonScan.hasObjectProperty("{\"x\":[{\"usage\" :\n {}}]}", "usage")).isTrue();
    assertThat(JsonScan.hasObjectProperty("{\"usage\":null,\"b\":{\"usage\":{}}}", "usage")).isTrue();
  }

  @Test
  void ignoresOtherValuesAndTextThatLooksLikeAProperty() {
    assertThat(JsonScan.hasObjectProperty("{\"usage\":null}", "usage")).isFalse();
    assertThat(JsonScan.hasObjectProperty("{\"usage\":[{}]}", "usage")).isFalse();
    assertThat(JsonScan.hasObjectProperty("{\"content\":\"\\\"usage\\\":{}\"}", "usage")).isFalse();
    assertThat(JsonScan.hasObjectProperty("{\"my_usage\":{}}", "usage")).isFalse();
    assertThat(JsonScan.hasObjectProperty("{\"usage_x\":{}}", "usage")).isFalse();
    assertThat(JsonScan.hasObjectProperty("{\"content\":\"usage\"}", "usage")).isFalse();
    assertThat(JsonScan.hasObjectProperty("\"usage\"", "usage")).isFalse();
  }

  @Test
  void appendsEveryStringValueUnescaped() {
    StringBuilder out = new StringBuilder();
    JsonScan.appendStringValues("{\"choices\":[{\"delta\":{\"content\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00/\\/\"}},"
        + "{\"delta\":{\"content\" : \"x\"}},{\"delta\":{\"content\":null}},{\"logprobs\":{\"content\":[]}}]}",
        "content", out);

    assertThat(out.toString()).isEqualTo("a\"b\\c\né\uD83D\uDE00//x");
  }

  @Test
  void skipsLookalikesAndSurvivesTruncation() {
    StringBuilder out = new StringBuilder();
    JsonScan.appendStringValues("{\"reasoning_content\":\"r\",\"text\":\"\\\"content\\\":\\\"no\\\"\"}", "content", out);
    assertThat(out.toString()).isEmpty();

    JsonScan.appendStringValues("{\"content\":\"cut\\", "content", out);
    JsonScan.appendStringValues("{\"content\":\"\\u00", "content", out);
    assertThat(out.toString()).isEqualTo("cut");
  }
}
