package dev.antler.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.testing.Chunking;
import dev.antler.tokens.TokenEstimator;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class JsonUsageTapTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> FIELDS = Set.of("id", "model", "object", "duration", "language");

  static final String CHAT_COMPLETION = """
      {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1741569952,
        "model": "gpt-4.1-2025-04-14",
        "choices": [
          {
            "index": 0,
            "message": {
              "role": "assistant",
              "content": "Bonjour ! Comment puis-je vous aider aujourd\\u2019hui ? \u2615 \ud83e\udd8c",
              "refusal": null,
              "annotations": []
            },
            "logprobs": null,
            "finish_reason": "stop"
          }
        ],
        "usage": {
          "prompt_tokens": 2006,
          "completion_tokens": 300,
          "total_tokens": 2306,
          "prompt_tokens_details": {
            "cached_tokens": 1920,
            "audio_tokens": 0
          },
          "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0
          }
        },
        "service_tier": "default",
        "system_fingerprint": "fp_eb9dce56a8"
      }""";

  static final String EMBEDDINGS = "{\"object\":\"list\",\"data\":["
      + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.0023064255,-0.009327292,0.015797347,-1.2E-5]},"
      + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[-0.0071428004,0.014952856,0.0,3.5e+2]},"
      + "{\"object\":\"embedding\",\"index\":2,\"embedding\":[0.012,-0.034,0.056,-0.078]}],"
      + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":12,\"total_tokens\":12}}";

  static final String IMAGES = "{\"created\":1713833628,\"background\":\"opaque\",\"data\":["
      + "{\"b64_json\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\"},"
      + "{\"b64_json\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==\","
      + "\"revised_prompt\":\"A \\\"usage\\\": {} decoy\"}],"
      + "\"output_format\":\"png\",\"quality\":\"high\",\"size\":\"1024x1024\","
      + "\"usage\":{\"total_tokens\":4230,\"input_tokens\":70,\"output_tokens\":4160,"
      + "\"input_tokens_details\":{\"text_tokens\":40,\"image_tokens\":30}}}";

  static final String RESPONSE_BODY = "{\"id\":\"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b\","
      + "\"object\":\"response\",\"created_at\":1741476542,\"status\":\"completed\",\"error\":null,"
      + "\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,\"model\":\"gpt-4.1-2025-04-14\","
      + "\"output\":[{\"type\":\"message\",\"id\":\"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b\","
      + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
      + "\"text\":\"In a peaceful grove beneath a silver moon...\",\"annotations\":[]}]}],"
      + "\"parallel_tool_calls\":true,\"previous_response_id\":null,\"reasoning\":{\"effort\":null,\"summary\":null},"
      + "\"store\":true,\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\","
      + "\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":{\"input_tokens\":36,"
      + "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":87,"
      + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":123},\"user\":null,\"metadata\":{}}";

  static final String RESPONSE_COMPLETED_EVENT = "{\"type\":\"response.completed\",\"sequence_number\":17,"
      + "\"response\":" + RESPONSE_BODY.replace("\"input_tokens\":36", "\"input_tokens\":1036") + "}";

  static final String TRANSCRIPTION = "{\"task\":\"transcribe\",\"language\":\"english\","
      + "\"duration\":8.470000267028809,\"text\":\"The beach was a popular spot on a hot summer day.\","
      + "\"segments\":[{\"id\":0,\"seek\":0,\"start\":0.0,\"end\":3.319999933242798,"
      + "\"text\":\" The beach was a popular spot on a hot summer day.\",\"tokens\":[50364,440,7534,390],"
      + "\"temperature\":0.0,\"avg_logprob\":-0.2860786020755768,\"compression_ratio\":1.2363636493682861,"
      + "\"no_speech_prob\":0.00985979475080967}],\"usage\":{\"type\":\"duration\",\"seconds\":9}}";

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("chat.completion", CHAT_COMPLETION),
        Arguments.of("embeddings", EMBEDDINGS),
        Arguments.of("images", IMAGES),
        Arguments.of("response", RESPONSE_BODY),
        Arguments.of("response.completed", RESPONSE_COMPLETED_EVENT),
        Arguments.of("transcription", TRANSCRIPTION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyChunkingYieldsWhatAFullParseFinds(String name, String text) {
    byte[] input = text.getBytes(UTF_8);
    Result expected = expected(text);
    for (int[] cuts : Chunking.all(input.length, 100)) {
      JsonUsageTap tap = new JsonUsageTap(FIELDS);
      Chunking.feed(input, cuts, tap::feed);
      tap.finish();
      assertThat(Result.of(tap)).isEqualTo(expected);
    }
  }

  @Test
  void answerTextIsTheSameAtEveryChunking() {
    String chat = CHAT_COMPLETION.replaceFirst("(?s),\\s*\"usage\": \\{.*?\\}\\s*\\}", "");
    Map<String, String> texts = Map.of(
        chat, "Bonjour ! Comment puis-je vous aider aujourd\u2019hui ? \u2615 \ud83e\udd8c",
        RESPONSE_BODY, "In a peaceful grove beneath a silver moon...");
    for (Map.Entry<String, String> body : texts.entrySet()) {
      byte[] input = body.getKey().getBytes(UTF_8);
      long expected = TokenEstimator.count(body.getValue());
      assertThat(expected).isPositive();
      for (int[] cuts : Chunking.all(input.length, 100)) {
        JsonUsageTap tap = new JsonUsageTap(FIELDS, Set.of("choices", "output"));
        Chunking.feed(input, cuts, tap::feed);
        tap.finish();
        assertThat(tap.isValidJson()).isTrue();
        assertThat(tap.answerTokens(JsonUsageTapTest::text)).isEqualTo(expected);
      }
    }
  }

  /** The text of a chat choice's message, or of a Responses output message. */
  private static void text(JsonNode item, StringBuilder out) {
    out.append(item.path("message").path("content").asString(""));
    item.path("content").forEach(part -> out.append(part.path("text").asString("")));
  }

  @Test
  void answerElementsAreNotKeptOnceUsageWasFound() {
    String usageFirst = "{\"usage\":{\"completion_tokens\":3},\"choices\":[{\"message\":{\"content\":\"Hello there\"}}]}";
    JsonUsageTap tap = new JsonUsageTap(Set.of(), Set.of("choices"));
    byte[] input = usageFirst.getBytes(UTF_8);
    tap.feed(input, 0, input.length);
    tap.finish();

    assertThat(tap.usage()).isPresent();
    assertThat(tap.answerTokens(JsonUsageTapTest::text)).isZero();
  }

  @Test
  void answerElementsPastTheBudgetCountByTheirSize() {
    String big = "a ".repeat(JsonUsageTap.MAX_ANSWER_BYTES / 4); // two fit in the budget less a little: one is kept
    String body = "{\"choices\":[{\"message\":{\"content\":\"Hello there\"}},{\"message\":{\"content\":\"" + big
        + "\"}},{\"message\":{\"content\":\"" + big + "\"}}]}";
    JsonUsageTap tap = new JsonUsageTap(Set.of(), Set.of("choices"));
    byte[] input = body.getBytes(UTF_8);
    for (int at = 0; at < input.length; at += 64 * 1024) {
      tap.feed(input, at, Math.min(64 * 1024, input.length - at));
    }
    tap.finish();

    long notKept = ("{\"message\":{\"content\":\"" + big + "\"}}").length();
    long kept = TokenEstimator.count("Hello there" + big);
    assertThat(tap.answerTokens(JsonUsageTapTest::text)).isEqualTo(kept + (notKept + 3) / 4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyTruncationIsInvalid(String name, String text) {
    byte[] input = text.getBytes(UTF_8);
    for (int length = 0; length < input.length; length++) {
      JsonUsageTap tap = new JsonUsageTap(FIELDS);
      tap.feed(input, 0, length);
      tap.finish();
      assertThat(tap.isValidJson()).as("prefix of %d bytes", length).isFalse();
    }
  }

  @Test
  void readsChatCompletion() {
    JsonUsageTap tap = tap(CHAT_COMPLETION, FIELDS);

    assertThat(tap.isValidJson()).isTrue();
    ObjectNode usage = tap.usage().orElseThrow();
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(2006);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(300);
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(2306);
    assertThat(usage.at("/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(1920);
    assertThat(tap.topLevelString("id")).contains("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    assertThat(tap.topLevelString("model")).contains("gpt-4.1-2025-04-14");
    assertThat(tap.topLevelString("role")).isEmpty();
    assertThat(tap.dataArrayLength()).isEqualTo(-1);
  }

  @Test
  void readsEmbeddingsAndImages() {
    JsonUsageTap embeddings = tap(EMBEDDINGS, FIELDS);
    assertThat(embeddings.dataArrayLength()).isEqualTo(3);
    assertThat(embeddings.usage().orElseThrow().get("prompt_tokens").asInt()).isEqualTo(12);

    JsonUsageTap images = tap(IMAGES, FIELDS);
    assertThat(images.dataArrayLength()).isEqualTo(2);
    assertThat(images.usage().orElseThrow().at("/input_tokens_details/image_tokens").asInt()).isEqualTo(30);
    assertThat(images.usage().orElseThrow().get("output_tokens").asInt()).isEqualTo(4160);
  }

  @Test
  void readsResponsesApiUsageAtTopLevelOrInsideResponse() {
    assertThat(tap(RESPONSE_BODY, FIELDS).usage().orElseThrow().get("input_tokens").asInt()).isEqualTo(36);
    JsonUsageTap event = tap(RESPONSE_COMPLETED_EVENT, FIELDS);
    assertThat(event.usage().orElseThrow().get("input_tokens").asInt()).isEqualTo(1036);
    assertThat(event.topLevelString("id")).isEmpty();
  }

  @Test
  void readsTranscriptionScalars() {
    JsonUsageTap tap = tap(TRANSCRIPTION, FIELDS);

    assertThat(tap.topLevelNumber("duration")).contains(8.470000267028809);
    assertThat(tap.topLevelString("language")).contains("english");
    assertThat(tap.topLevelNumber("language")).isEmpty();
    assertThat(tap.usage().orElseThrow().get("seconds").asInt()).isEqualTo(9);
  }

  @Test
  void firstUsageWinsAndDeeperOnesAreIgnored() {
    assertThat(usage("{\"choices\":[{\"usage\":{\"a\":1}}],\"x\":{\"usage\":{\"a\":2}},\"usage\":{\"a\":3},"
        + "\"response\":{\"usage\":{\"a\":4}}}")).contains(tree("{\"a\":3}"));
    assertThat(usage("{\"response\":{\"output\":{\"usage\":{\"a\":1}},\"usage\":{\"a\":2}},\"usage\":{\"a\":3}}"))
        .contains(tree("{\"a\":2}"));
    assertThat(usage("{\"usage\":null,\"response\":{\"usage\":[1]}}")).isEmpty();
    assertThat(usage("[{\"usage\":{\"a\":1}}]")).isEmpty();
  }

  @Test
  void capturesUsageValuesOfEveryType() {
    String usage = "{\"n\":1,\"l\":12345678901,\"b\":123456789012345678901234567890,\"d\":0.25,\"e\":-1e-3,"
        + "\"t\":true,\"f\":false,\"z\":null,\"s\":\"x\",\"a\":[1,[2],{\"k\":\"v\"}],\"o\":{\"p\":{}}}";

    assertThat(usage("{\"usage\":" + usage + "}")).contains(tree(usage));
  }

  @Test
  void dropsOversizedUsage() {
    StringBuilder usage = new StringBuilder("{\"usage\":{\"a\":[");
    while (usage.length() < JsonUsageTap.MAX_USAGE_BYTES + 100) {
      usage.append(12345).append(',');
    }
    usage.append("0]}");

    assertThat(usage(usage + "}")).isEmpty();
    assertThat(usage(usage + ",\"response\":{\"usage\":{\"a\":1}}}")).contains(tree("{\"a\":1}"));
  }

  @Test
  void countsOnlyTopLevelDataArray() {
    assertThat(tap("{\"data\":[]}", Set.of()).dataArrayLength()).isZero();
    assertThat(tap("{\"data\":[1,\"a\",[2,3],{\"data\":[1]},null]}", Set.of()).dataArrayLength()).isEqualTo(5);
    assertThat(tap("{\"data\":{\"a\":[1]}}", Set.of()).dataArrayLength()).isEqualTo(-1);
    assertThat(tap("{\"x\":{\"data\":[1,2]}}", Set.of()).dataArrayLength()).isEqualTo(-1);
    assertThat(tap("[[1,2]]", Set.of()).dataArrayLength()).isEqualTo(-1);
  }

  @Test
  void capturesOnlyRequestedTopLevelScalars() {
    JsonUsageTap tap = tap("{\"m\":{\"id\":\"inner\"},\"id\":\"outer\",\"id\":\"again\",\"n\":7,\"x\":\"y\","
        + "\"model\":{\"a\":1}}", Set.of("id", "n", "model"));

    assertThat(tap.topLevelString("id")).contains("outer");
    assertThat(tap.topLevelNumber("n")).contains(7.0);
    assertThat(tap.topLevelString("x")).isEmpty();
    assertThat(tap.topLevelString("model")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "not json", "<html><body>502 Bad Gateway</body></html>", "{\"usage\":{\"prompt_tokens\":1}",
      "{} {}", "{}x", "{\"a\":tru}", "[1,2,]", "{\"a\":NaN}", "{\"a\" 1}", "\"unterminated", "{\"a\":1}}",
      "data: {\"a\":1}\n\n"})
  void rejectsGarbage(String body) {
    JsonUsageTap tap = new JsonUsageTap(FIELDS);
    byte[] input = body.getBytes(UTF_8);
    for (byte b : input) {
      tap.feed(new byte[] {b}, 0, 1);
    }
    tap.finish();

    assertThat(tap.isValidJson()).isFalse();
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[] input = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};

    JsonUsageTap tap = new JsonUsageTap();
    tap.feed(input, 0, input.length);
    tap.finish();

    assertThat(tap.isValidJson()).isFalse();
  }

  @Test
  void keepsWhatWasFoundBeforeTheBodyBroke() {
    JsonUsageTap tap = tap("{\"usage\":{\"total_tokens\":5},\"id\":\"a\" garbage", Set.of("id"));

    assertThat(tap.isValidJson()).isFalse();
    assertThat(tap.usage()).contains(tree("{\"total_tokens\":5}"));
    assertThat(tap.topLevelString("id")).contains("a");
  }

  @Test
  void acceptsRootScalarsAndWhitespace() {
    assertThat(tap(" 123 ", Set.of()).isValidJson()).isTrue();
    assertThat(tap("\n[1,{\"usage\":{}}]\r\n", Set.of()).isValidJson()).isTrue();
    assertThat(tap("null", Set.of()).isValidJson()).isTrue();
  }

  @Test
  void handlesLargeImagesBodyIn64KiBChunks() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("{\"created\":1713833628,\"data\":[".getBytes(UTF_8));
    byte[] image = new byte[12 * 1024 * 1024];
    Arrays.fill(image, (byte) 'A');
    for (int i = 0; i < 2; i++) {
      body.writeBytes((i == 0 ? "" : ",").concat("{\"b64_json\":\"").getBytes(UTF_8));
      body.writeBytes(image);
      body.writeBytes("\"}".getBytes(UTF_8));
    }
    body.writeBytes("],\"usage\":{\"total_tokens\":8330,\"input_tokens\":10,\"output_tokens\":8320}}".getBytes(UTF_8));
    byte[] input = body.toByteArray();

    JsonUsageTap tap = new JsonUsageTap(Set.of("created"));
    for (int offset = 0; offset < input.length; offset += 64 * 1024) {
      tap.feed(input, offset, Math.min(64 * 1024, input.length - offset));
    }
    tap.finish();

    assertThat(tap.isValidJson()).isTrue();
    assertThat(tap.dataArrayLength()).isEqualTo(2);
    assertThat(tap.topLevelNumber("created")).contains(1713833628.0);
    assertThat(tap.usage().orElseThrow().get("output_tokens").asInt()).isEqualTo(8320);
  }

  @Test
  void handlesLargeEmbeddingsBodyIn64KiBChunks() {
    StringBuilder body = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < 300; i++) {
      body.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
      for (int j = 0; j < 1536; j++) {
        body.append(j == 0 ? "" : ",").append("-0.0").append(j * 7919 % 100000);
      }
      body.append("]}");
    }
    body.append("],\"model\":\"text-embedding-3-large\",\"usage\":{\"prompt_tokens\":900,\"total_tokens\":900}}");
    byte[] input = body.toString().getBytes(UTF_8);

    JsonUsageTap tap = new JsonUsageTap();
    for (int offset = 0; offset < input.length; offset += 64 * 1024) {
      tap.feed(input, offset, Math.min(64 * 1024, input.length - offset));
    }
    tap.finish();

    assertThat(tap.isValidJson()).isTrue();
    assertThat(tap.dataArrayLength()).isEqualTo(300);
    assertThat(tap.usage().orElseThrow().get("total_tokens").asInt()).isEqualTo(900);
  }

  @Test
  void readsUsageInsideATopLevelMessageAsInAnthropicMessageStart() {
    assertThat(usage("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[],"
        + "\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}")).contains(tree("{\"input_tokens\":25,\"output_tokens\":1}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0", "12", "1.5", "1.5e+3", "0.0E-1", "-12e9", "[1e5,2E-2,3.25]", "\"\\u00e9\\n\"",
      "\"\u00e9\uD83D\uDE00\"", "{\"a\":[true,false,null,{}]}"})
  void acceptsEveryNumberStringAndLiteralForm(String body) {
    assertThat(tap(body, Set.of()).isValidJson()).as(body).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"01", "-", "1.", "1e", "1e+", "+1", ".5", "-a", "1.e5", "\"\\x\"", "\"\\u12G4\"", "\"a\tb\"",
      "nul", "truee", "[1 2]", "{\"a\":1,}", "{,}", "[,1]", "{\"a\"}", "{1:2}"})
  void rejectsMalformedNumbersStringsAndStructure(String body) {
    assertThat(tap(body, Set.of()).isValidJson()).as(body).isFalse();
  }

  @Test
  void rejectsOverlongAndSurrogateUtf8AndTooDeepNesting() {
    for (byte[] bad : new byte[][] {{'"', (byte) 0xC0, (byte) 0x80, '"'}, {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
        {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, {'"', (byte) 0xE2, (byte) 0x82, '"'}}) {
      JsonUsageTap tap = new JsonUsageTap();
      tap.feed(bad, 0, bad.length);
      tap.finish();
      assertThat(tap.isValidJson()).isFalse();
    }
    int limit = JsonScanner.MAX_DEPTH;
    assertThat(tap("[".repeat(limit) + "]".repeat(limit), Set.of()).isValidJson()).isTrue();
    assertThat(tap("[".repeat(limit + 1) + "]".repeat(limit + 1), Set.of()).isValidJson()).isFalse();
  }

  @Test
  void skipsDeepContainersByTheirStructure() {
    JsonUsageTap tap = tap("{\"data\":[{\"e\":[1,\"x]}\\\"\",[{}]]},[]],\"usage\":{\"total_tokens\":3}}", Set.of());
    assertThat(tap.isValidJson()).isTrue();
    assertThat(tap.dataArrayLength()).isEqualTo(2);
    assertThat(tap.usage()).contains(tree("{\"total_tokens\":3}"));

    assertThat(tap("{\"data\":[{\"e\":[1,2}]}", Set.of()).isValidJson()).as("mismatched deep bracket").isFalse();
    assertThat(tap("{\"data\":[{\"e\":[1,2]]}", Set.of()).isValidJson()).as("mismatched deep bracket").isFalse();
    assertThat(tap("{\"data\":[{\"e\":\"open]}", Set.of()).isValidJson()).as("unterminated deep string").isFalse();
    // documented: numbers and literals below the second level are not checked
    assertThat(tap("{\"data\":[{\"e\":[01,tru]}]}", Set.of()).isValidJson()).isTrue();
  }

  @Test
  void finishIsFinal() {
    JsonUsageTap tap = new JsonUsageTap();
    tap.feed("{}".getBytes(UTF_8), 0, 2);
    assertThat(tap.isValidJson()).isFalse();
    tap.finish();
    tap.finish();

    assertThat(tap.isValidJson()).isTrue();
    assertThatThrownBy(() -> tap.feed(new byte[1], 0, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("json usage tap: finished (expected: open)");
  }

  @Test
  void validatesArguments() {
    assertThatThrownBy(() -> new JsonUsageTap(null)).isInstanceOf(NullPointerException.class).hasMessage("scalarFields");
    JsonUsageTap tap = new JsonUsageTap();
    assertThatThrownBy(() -> tap.feed(null, 0, 0)).isInstanceOf(NullPointerException.class).hasMessage("data");
    assertThatThrownBy(() -> tap.feed(new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> tap.topLevelString(null)).isInstanceOf(NullPointerException.class).hasMessage("field");
  }

  /** What the tap should find, computed from a full tree parse of the body. */
  private static Result expected(String text) {
    JsonNode root = JSON.readTree(text);
    JsonNode usage = root.get("usage") instanceof ObjectNode top ? top : root.path("response").get("usage");
    JsonNode data = root.get("data");
    Map<String, Object> scalars = new TreeMap<>();
    for (String field : FIELDS) {
      JsonNode value = root.get(field);
      if (value != null && value.isString()) {
        scalars.put(field, value.asString());
      } else if (value != null && value.isNumber()) {
        scalars.put(field, value.asDouble());
      }
    }
    return new Result(true, Optional.ofNullable((ObjectNode) usage), data != null && data.isArray() ? data.size() : -1,
        scalars);
  }

  private record Result(boolean valid, Optional<ObjectNode> usage, int dataLength, Map<String, Object> scalars) {

    static Result of(JsonUsageTap tap) {
      Map<String, Object> scalars = new TreeMap<>();
      for (String field : FIELDS) {
        tap.topLevelString(field).ifPresent(value -> scalars.put(field, value));
        tap.topLevelNumber(field).ifPresent(value -> scalars.put(field, value));
      }
      return new Result(tap.isValidJson(), tap.usage(), tap.dataArrayLength(), scalars);
    }
  }

  private static JsonUsageTap tap(String body, Set<String> fields) {
    JsonUsageTap tap = new JsonUsageTap(fields);
    byte[] input = body.getBytes(UTF_8);
    tap.feed(input, 0, input.length);
    tap.finish();
    return tap;
  }

  private static Optional<ObjectNode> usage(String body) {
    JsonUsageTap tap = tap(body, Set.of());
    assertThat(tap.isValidJson()).isTrue();
    return tap.usage();
  }

  private static ObjectNode tree(String json) {
    return (ObjectNode) JSON.readTree(json);
  }
}
