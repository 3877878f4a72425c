package dev.antler.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.antler.testing.Chunking;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SseFramerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String CHUNK_PREFIX =
      "{\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"object\":\"chat.completion.chunk\","
          + "\"created\":1741570283,\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\","
          + "\"system_fingerprint\":\"fp_eb9dce56a8\",\"choices\":";

  static final String OPENAI_CHAT = String.join("",
      "data: ", CHUNK_PREFIX, "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},",
      "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n",
      delta("Bonjour"), delta(", caf\u00e9 \u2615"), delta(" \ud83e\udd8c!"),
      "data: ", CHUNK_PREFIX, "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],",
      "\"usage\":null}\n\n",
      "data: ", CHUNK_PREFIX, "[],\"usage\":{\"prompt_tokens\":2006,\"completion_tokens\":300,",
      "\"total_tokens\":2306,\"prompt_tokens_details\":{\"cached_tokens\":1920,\"audio_tokens\":0},",
      "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,",
      "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n",
      "data: [DONE]\n\n");

  static final String ANTHROPIC = String.join("",
      "event: message_start\n",
      "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",",
      "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\",\"stop_reason\":null,",
      "\"stop_sequence\":null,\"usage\":{\"input_tokens\":472,\"cache_creation_input_tokens\":0,",
      "\"cache_read_input_tokens\":0,\"output_tokens\":2}}}\n\n",
      "event: content_block_start\n",
      "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
      "event: ping\n",
      "data: {\"type\": \"ping\"}\n\n",
      anthropicDelta("Hello"), anthropicDelta(" th\u00e9re"), anthropicDelta(" \ud83c\udf0d!"),
      "event: content_block_stop\n",
      "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
      "event: message_delta\n",
      "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},",
      "\"usage\":{\"output_tokens\":15}}\n\n",
      "event: message_stop\n",
      "data: {\"type\":\"message_stop\"}\n\n");

  /** Comments, ids, retry, multi-line data, field names without colon, extra blank lines, a BOM. */
  static final String ODDITIES = String.join("",
      "\ufeff: keep-alive\n\n",
      "id: 7\nevent: update\ndata: line one\ndata:line two\ndata\nretry: 1000\n: note\n\n",
      "\n",
      "data:  two spaces\nunknown: field\nevent\n\n",
      ": only a comment\n\n");

  private static String delta(String content) {
    return "data: " + CHUNK_PREFIX + "[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},"
        + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n";
  }

  private static String anthropicDelta(String text) {
    return "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
        + text + "\"}}\n\n";
  }

  static Stream<Arguments> fixtures() {
    List<Arguments> fixtures = new ArrayList<>();
    for (var fixture : List.of(
        Arguments.of("openai", OPENAI_CHAT), Arguments.of("anthropic", ANTHROPIC), Arguments.of("oddities", ODDITIES))) {
      String name = (String) fixture.get()[0];
      String text = (String) fixture.get()[1];
      fixtures.add(Arguments.of(name + " LF", text));
      fixtures.add(Arguments.of(name + " CRLF", text.replace("\n", "\r\n")));
      fixtures.add(Arguments.of(name + " CR", text.replace("\n", "\r")));
    }
    return fixtures.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyChunkingYieldsTheSameEventsAndForwardsEveryByte(String name, String text) {
    byte[] input = text.getBytes(UTF_8);
    List<SseEvent> expected = frame(input, new int[0]);
    assertThat(expected).isNotEmpty();
    for (int[] cuts : Chunking.all(input.length, 200)) {
      List<SseEvent> events = new ArrayList<>();
      SseFramer framer = new SseFramer(events::add);
      Chunking.feed(input, cuts, framer::feed);
      assertThat(framer.hasPartialEvent()).isFalse();
      assertThat(concat(events, framer.pendingBytes())).isEqualTo(input);
      framer.finish();
      assertThat(events).isEqualTo(expected);
      assertThat(concat(events, new byte[0])).isEqualTo(input);
    }
  }

  @Test
  void framesOpenAiChatStream() {
    List<SseEvent> events = frame(OPENAI_CHAT.getBytes(UTF_8), new int[0]);

    assertThat(events).hasSize(7).allSatisfy(event -> {
      assertThat(event.isMessage()).isTrue();
      assertThat(event.event()).isNull();
      assertThat(event.id()).isNull();
    });
    StringBuilder content = new StringBuilder();
    for (SseEvent event : events.subList(0, 5)) {
      content.append(JSON.readTree(event.data()).at("/choices/0/delta/content").asString(""));
    }
    assertThat(content).hasToString("Bonjour, caf\u00e9 \u2615 \ud83e\udd8c!");
    JsonNode usageChunk = JSON.readTree(events.get(5).data());
    assertThat(usageChunk.get("choices").isEmpty()).isTrue();
    assertThat(usageChunk.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(1920);
    assertThat(events.get(6).data()).isEqualTo("[DONE]");
    assertThat(events.get(6).raw()).isEqualTo("data: [DONE]\n\n".getBytes(UTF_8));
  }

  @Test
  void framesAnthropicStream() {
    List<SseEvent> events = frame(ANTHROPIC.getBytes(UTF_8), new int[0]);

    assertThat(events).extracting(SseEvent::event).containsExactly(
        "message_start", "content_block_start", "ping",
        "content_block_delta", "content_block_delta", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop");
    assertThat(events).allSatisfy(event ->
        assertThat(JSON.readTree(event.data()).get("type").asString()).isEqualTo(event.event()));
    assertThat(JSON.readTree(events.get(7).data()).at("/usage/output_tokens").asInt()).isEqualTo(15);
    assertThat(JSON.readTree(events.get(4).data()).at("/delta/text").asString()).isEqualTo(" th\u00e9re");
  }

  @Test
  void lineEndingsOnlyChangeRawBytes() {
    for (String text : List.of(OPENAI_CHAT, ANTHROPIC, ODDITIES)) {
      List<SseEvent> lf = frame(text.getBytes(UTF_8), new int[0]);
      for (String ending : List.of("\r\n", "\r")) {
        List<SseEvent> other = frame(text.replace("\n", ending).getBytes(UTF_8), new int[0]);
        assertThat(other).hasSameSizeAs(lf);
        for (int i = 0; i < lf.size(); i++) {
          assertThat(other.get(i).event()).isEqualTo(lf.get(i).event());
          assertThat(other.get(i).data()).isEqualTo(lf.get(i).data());
          assertThat(other.get(i).id()).isEqualTo(lf.get(i).id());
          assertThat(new String(other.get(i).raw(), UTF_8)).isEqualTo(new String(lf.get(i).raw(), UTF_8).replace("\n", ending));
        }
      }
    }
  }

  @Test
  void appliesFieldRules() {
    List<SseEvent> events = frame(ODDITIES.getBytes(UTF_8), new int[0]);

    assertThat(events).containsExactly(
        new SseEvent("\ufeff: keep-alive\n\n".getBytes(UTF_8), null, null, null),
        new SseEvent("id: 7\nevent: update\ndata: line one\ndata:line two\ndata\nretry: 1000\n: note\n\n".getBytes(UTF_8),
            "update", "line one\nline two\n", "7"),
        new SseEvent("\n".getBytes(UTF_8), null, null, null),
        new SseEvent("data:  two spaces\nunknown: field\nevent\n\n".getBytes(UTF_8), "", " two spaces", null),
        new SseEvent(": only a comment\n\n".getBytes(UTF_8), null, null, null));
    assertThat(events.get(0).isMessage()).isFalse();
  }

  @Test
  void emptyDataFieldIsAMessageWithEmptyData() {
    assertThat(frame("data:\n\ndata\n\n".getBytes(UTF_8), new int[0]))
        .extracting(SseEvent::data).containsExactly("", "");
  }

  @Test
  void ignoresIdContainingNul() {
    assertThat(frame("id: a\u0000b\ndata: x\n\n".getBytes(UTF_8), new int[0]).get(0).id()).isNull();
  }

  @Test
  void onlyALeadingBomIsSkipped() {
    List<SseEvent> events = frame("\ufeffdata: a\n\n\ufeffdata: b\n\n".getBytes(UTF_8), new int[0]);

    assertThat(events).extracting(SseEvent::data).containsExactly("a", null);
  }

  @Test
  void partialBomIsAFieldName() {
    byte[] input = {(byte) 0xEF, (byte) 0xBB, 'x', '\n', '\n'};
    List<SseEvent> events = frame(input, new int[] {1, 2});

    assertThat(events).singleElement().satisfies(event -> assertThat(event.raw()).isEqualTo(input));
  }

  @Test
  void crlfSplitAcrossChunksIsOneLineEnding() {
    List<SseEvent> events = new ArrayList<>();
    SseFramer framer = new SseFramer(events::add);

    feed(framer, "data: a\r");
    feed(framer, "\n\r");
    assertThat(events).isEmpty();
    assertThat(framer.hasPartialEvent()).isFalse();
    assertThat(framer.pendingBytes()).isEqualTo("data: a\r\n\r".getBytes(UTF_8));
    feed(framer, "\ndata: b\r");
    feed(framer, "\r");
    framer.finish();

    assertThat(events).extracting(event -> new String(event.raw(), UTF_8), SseEvent::data)
        .containsExactly(
            tuple("data: a\r\n\r\n", "a"),
            tuple("data: b\r\r", "b"));
  }

  @Test
  void bareCrEventIsDispatchedByTheNextByte() {
    List<SseEvent> events = new ArrayList<>();
    SseFramer framer = new SseFramer(events::add);

    feed(framer, "data: a\r\r");
    assertThat(events).isEmpty();
    feed(framer, "d");

    assertThat(events).extracting(SseEvent::data).containsExactly("a");
    assertThat(framer.hasPartialEvent()).isTrue();
    assertThat(framer.pendingBytes()).isEqualTo("d".getBytes(UTF_8));
  }

  @Test
  void everyTruncationLeavesAPartialTail() {
    byte[] input = ANTHROPIC.replace("\n", "\r\n").getBytes(UTF_8);
    for (int length = 0; length < input.length; length++) {
      List<SseEvent> events = new ArrayList<>();
      SseFramer framer = new SseFramer(events::add);
      framer.feed(input, 0, length);
      byte[] tail = framer.pendingBytes();

      byte[] prefix = Arrays.copyOf(input, length);
      assertThat(concat(events, tail)).isEqualTo(prefix);
      boolean partial = framer.hasPartialEvent();
      // a tail that is not partial is a complete event held back for a possible LF
      assertThat(partial || tail.length == 0 || new String(tail, UTF_8).endsWith("\r\n\r")).isTrue();
      framer.finish();
      assertThat(framer.hasPartialEvent()).isFalse();
      assertThat(framer.pendingBytes()).isEmpty();
      assertThat(concat(events, partial ? tail : new byte[0])).isEqualTo(prefix);
    }
  }

  @Test
  void truncatedStreamReportsPartialEvent() {
    List<SseEvent> events = new ArrayList<>();
    SseFramer framer = new SseFramer(events::add);

    feed(framer, "data: {\"a\":1}\n\ndata: {\"b\"");

    assertThat(events).hasSize(1);
    assertThat(framer.hasPartialEvent()).isTrue();
    assertThat(framer.pendingBytes()).isEqualTo("data: {\"b\"".getBytes(UTF_8));
    framer.finish();
    assertThat(events).hasSize(1);
  }

  @Test
  void aTailCutInsideAMultiByteCharacterIsNotUtf8AtEveryChunking() {
    byte[] text = "data: {\"a\":\"\u20ac\"}\n\ndata: [DONE]\n\n".getBytes(UTF_8);
    for (byte[] tail : new byte[][] {{(byte) 0xE2, (byte) 0x82}, {'d', 'a', 't', 'a', ':', ' ', (byte) 0xF0, (byte) 0x9F},
        {(byte) 0xC3}, {(byte) 0xFF}}) {
      byte[] input = Arrays.copyOf(text, text.length + tail.length);
      System.arraycopy(tail, 0, input, text.length, tail.length);
      for (int[] cuts : Chunking.all(input.length, 50)) {
        List<SseEvent> events = new ArrayList<>();
        SseFramer framer = new SseFramer(events::add);
        Chunking.feed(input, cuts, framer::feed);

        assertThat(events).extracting(SseEvent::data).containsExactly("{\"a\":\"\u20ac\"}", "[DONE]");
        assertThat(framer.hasPartialEvent()).isTrue();
        assertThat(framer.partialEventIsUtf8()).isFalse();
      }
    }
  }

  @Test
  void aTailOfWholeCharactersIsUtf8AtEveryChunking() {
    byte[] input = "data: {\"a\":1}\n\ndata: {\"b\":\"\u20ac\ud83d\ude00\"".getBytes(UTF_8);
    for (int[] cuts : Chunking.all(input.length, 50)) {
      SseFramer framer = new SseFramer(event -> {});
      Chunking.feed(input, cuts, framer::feed);

      assertThat(framer.hasPartialEvent()).isTrue();
      assertThat(framer.partialEventIsUtf8()).isTrue();
    }
  }

  @Test
  void rejectsOversizedEventInOneChunk() {
    SseFramer framer = new SseFramer(16, event -> {});

    assertThatThrownBy(() -> feed(framer, "data: 0123456789\n\n"))
        .isInstanceOf(SseException.class)
        .hasMessage("sse event size: 18 (expected: <= 16)");
    assertThatThrownBy(() -> feed(framer, "\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("sse framer: failed (expected: no earlier exception)");
  }

  @Test
  void rejectsOversizedEventAcrossChunks() {
    SseFramer framer = new SseFramer(16, event -> {});
    feed(framer, "data: 012345678");

    assertThatThrownBy(() -> feed(framer, "9\n"))
        .isInstanceOf(SseException.class)
        .hasMessage("sse event size: 17 (expected: <= 16)");
  }

  @Test
  void acceptsEventOfExactlyMaximumSize() {
    byte[] input = "data: 01234567\n\n".getBytes(UTF_8);
    List<SseEvent> events = new ArrayList<>();
    SseFramer framer = new SseFramer(input.length, events::add);
    Chunking.all(input.length, 0).forEach(cuts -> Chunking.feed(input, cuts, framer::feed));

    assertThat(events).hasSize(input.length + 1).allSatisfy(event -> assertThat(event.data()).isEqualTo("01234567"));
  }

  @Test
  void sinkFailureMakesFramerUnusable() {
    SseFramer framer = new SseFramer(event -> {
      throw new IllegalArgumentException("boom");
    });

    assertThatThrownBy(() -> feed(framer, "data: x\n\n")).hasMessage("boom");
    assertThatThrownBy(framer::finish).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void finishIsFinal() {
    SseFramer framer = new SseFramer(event -> {});
    framer.finish();
    framer.finish();

    assertThatThrownBy(() -> feed(framer, "data: x\n\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("sse framer: finished (expected: open)");
  }

  @Test
  void validatesArguments() {
    assertThatThrownBy(() -> new SseFramer(0, event -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEventBytes: 0 (expected: > 0)");
    assertThatThrownBy(() -> new SseFramer(null)).isInstanceOf(NullPointerException.class).hasMessage("sink");
    SseFramer framer = new SseFramer(event -> {});
    assertThatThrownBy(() -> framer.feed(null, 0, 0)).isInstanceOf(NullPointerException.class).hasMessage("data");
    assertThatThrownBy(() -> framer.feed(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static List<SseEvent> frame(byte[] input, int[] cuts) {
    List<SseEvent> events = new ArrayList<>();
    SseFramer framer = new SseFramer(events::add);
    Chunking.feed(input, cuts, framer::feed);
    framer.finish();
    return events;
  }

  private static void feed(SseFramer framer, String text) {
    byte[] bytes = text.getBytes(UTF_8);
    framer.feed(bytes, 0, bytes.length);
  }

  private static byte[] concat(List<SseEvent> events, byte[] tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.forEach(event -> out.writeBytes(event.raw()));
    out.writeBytes(tail);
    return out.toByteArray();
  }
}
