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

  private static byte[] filler(int length, String alphabet) {
    byte[] a = alphabet.getBytes(UTF_8);
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = a[(i * 7) % a.length];
    }
    return data;
  }
}
