package dev.antler.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time scan finds the same line end as a byte-by-byte one, whatever the bytes around it. */
class LineEndsTest {

    /** Line ends and the bytes a word-at-a-time comparison could mistake for them (borrows, high bits). */
    private static final byte[] BYTES = {'\n', '\r', 0, 1, 9, 11, 12, 14, (byte) 0x8A, (byte) 0x8D, (byte) 0x80,
            (byte) 0xFF, 'a', 'd', ':', ' '};

    @Test
    void findsTheFirstLineEndLikeAByteByByteScan() {
        Random random = new Random(20261124);
        for (int round = 0; round < 20_000; round++) {
            byte[] data = new byte[random.nextInt(40)];
            int density = 1 + random.nextInt(64);
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextInt(density) == 0 ? BYTES[random.nextInt(BYTES.length)] : (byte) random.nextInt(256);
            }
            int from = data.length == 0 ? 0 : random.nextInt(data.length + 1);
            int to = from + random.nextInt(data.length - from + 1);
            assertThat(LineEnds.indexOf(data, from, to)).as("round %d", round).isEqualTo(naive(data, from, to));
        }
    }

    @Test
    void withoutALineEndTheEndIsReturned() {
        byte[] data = "data: {\"content\":\"a long line without its end\"}".getBytes();
        assertThat(LineEnds.indexOf(data, 0, data.length)).isEqualTo(data.length);
        assertThat(LineEnds.indexOf(data, 3, 3)).isEqualTo(3);
    }

    private static int naive(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == '\n' || data[i] == '\r') {
                return i;
            }
        }
        return to;
    }
}
