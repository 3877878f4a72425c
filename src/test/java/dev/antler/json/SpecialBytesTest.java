package dev.antler.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecialBytesTest {

  @Test
  void stopsAtOrBeforeTheWordOfEverySpecialByteAtEveryOffset() {
    for (char special : "\"[]{}".toCharArray()) {
      for (int at = 0; at < 40; at++) {
        byte[] data = filler(40, "0123456789.,-+eE \n");
        data[at] = (byte) special;
        int stop = SpecialBytes.skipStructure(data, 0, data.length);
        assertThat(stop).as("%s at %d", special, at).isLessThanOrEqualTo(at).isGreaterThan(at - Long.BYTES);
      }
    }
    for (char special : "\"\\".toCharArray()) {
      for (int at = 0; at < 40; at++) {
        byte[] data = filler(40, "abc xyz é{}[]0123");
        data[at] = (byte) special;
        int stop = SpecialBytes.skipString(data, 0, data.length);
        assertThat(stop).as("%s at %d", special, at).isLessThanOrEqualTo(at).isGreaterThan(at - Long.BYTES);
      }
    }
  }

  @Test
  void plainTextStopsAtOrBeforeEveryByteAStringsStepMustSee() {
    byte[] stops = {'"', '\\', 0x00, 0x1F, '\n', (byte) 0x80, (byte) 0xC3, (byte) 0xFF};
    for (byte stop : stops) {
      for (int at = 0; at < 40; at++) {
        byte[] data = filler(40, "abc XYZ 0123 {}[]:,.-_~!#$%&'()*+/;<=>?@^`|");
        data[at] = stop;
        int found = SpecialBytes.skipPlainText(data, 0, data.length);
        assertThat(found).as("0x%02x at %d", stop & 0xFF, at).isLessThanOrEqualTo(at).isGreaterThan(at - Long.BYTES);
      }
    }
    byte[] text = "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT gpt-4.1-2025-04-14 ~ {} [] 0x7F".getBytes(UTF_8);
    assertThat(SpecialBytes.skipPlainText(text, 0, text.length)).isGreaterThan(text.length - Long.BYTES);
  }

  @Test
  void passesWholeWordsOfOrdinaryBytesAndLeavesTheTailToTheByteLoop() {
    byte[] numbers = filler(43, "0123456789.,-+eE \n\t");
    assertThat(SpecialBytes.skipStructure(numbers, 0, numbers.length)).isEqualTo(40);
    assertThat(SpecialBytes.skipStructure(numbers, 3, numbers.length)).isEqualTo(43);
    assertThat(SpecialBytes.skipStructure(numbers, 5, 12)).isEqualTo(5); // less than a word left
    byte[] text = "plain text with no quote or backslash, naïve café ✓ ok".getBytes(UTF_8);
    assertThat(SpecialBytes.skipString(text, 0, text.length)).isGreaterThan(text.length - Long.BYTES);
  }

  /** The scanner's skip, with the word test in front, reads what a byte-by-byte reading reads: checked against Jackson. */
  @Test
  void deepContainersSkipAlikeAtEveryAlignmentAndChunking() {
    Random random = new Random(7);
    for (int pad = 0; pad < 16; pad++) {
      String inner = "[" + "1.25e-3,".repeat(pad) + "\"q\\\"]}{[ \\\\\"," + "-0.5,".repeat(9) + "{\"k\":[\"Y_y{\",[]]}]";
      String body = "{\"data\":[" + " ".repeat(pad) + "{\"embedding\":" + inner + "}," + inner + "],"
          + "\"usage\":{\"total_tokens\":" + pad + "}}";
      byte[] bytes = body.getBytes(UTF_8);
      for (int split = 0; split < 4; split++) {
        JsonUsageTap tap = new JsonUsageTap(Set.of());
        int i = 0;
        while (i < bytes.length) {
          int n = split == 0 ? bytes.length : 1 + random.nextInt(23);
          n = Math.min(n, bytes.length - i);
          tap.feed(Arrays.copyOfRange(bytes, i, i + n), 0, n);
          i += n;
        }
        tap.finish();
        assertThat(tap.isValidJson()).as(body).isTrue();
        assertThat(tap.dataArrayLength()).as(body).isEqualTo(2);
        assertThat(tap.usage().orElseThrow().get("total_tokens").asInt()).isEqualTo(pad);
      }
      String broken = body.replace(",[]]}]", ",[]}}]"); // a bracket that does not match, deep inside
      JsonUsageTap tap = new JsonUsageTap(Set.of());
      tap.feed(broken.getBytes(UTF_8), 0, broken.length());
      tap.finish();
      assertThat(tap.isValidJson()).as(broken).isFalse();
    }
  }

  /** Top-level string values read word by word are checked and captured as byte by byte: at every offset. */
  @Test
  void topLevelStringsAreCheckedAndCapturedAtEveryOffset() {
    String plain = "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT";
    for (int at = 0; at <= plain.length(); at++) {
      String head = plain.substring(0, at);
      String tail = plain.substring(at);
      String escaped = head + "\\\"q\\u00e9" + tail;   // \" and \u00e9 in the JSON text
      JsonUsageTap tap = tap("{\"id\":\"" + escaped + "\",\"model\":\"" + head + "é✓" + tail + "\"}");
      assertThat(tap.isValidJson()).as(escaped).isTrue();
      assertThat(tap.topLevelString("id")).contains(head + "\"qé" + tail);
      assertThat(tap.topLevelString("model")).contains(head + "é✓" + tail);

      byte[] control = ("{\"id\":\"" + head + "\u0001" + tail + "\"}").getBytes(UTF_8);
      assertThat(tap(control).isValidJson()).as("a raw control character at %d", at).isFalse();
      byte[] badUtf8 = ("{\"id\":\"" + head + "\u00ff" + tail + "\"}").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(tap(badUtf8).isValidJson()).as("a lone 0xFF at %d", at).isFalse();
    }
  }

  private static JsonUsageTap tap(String body) {
    return tap(body.getBytes(UTF_8));
  }

  private static JsonUsageTap tap(byte[] body) {
    JsonUsageTap tap = new JsonUsageTap(Set.of("id", "model"));
    tap.feed(body, 0, body.length);
    tap.finish();
    return tap;
  }

  private static byte[] filler(int length, String alphabet) {
    byte[] a = alphabet.getBytes(UTF_8);
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = a[(i * 7) % a.length];
    }
    return data;
  }
}
