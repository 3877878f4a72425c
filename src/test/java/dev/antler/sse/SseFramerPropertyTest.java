package dev.antler.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.antler.testing.Chunking;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The SSE framer under hostile input: thousands of random streams (seeded, so a failure repeats),
 * each split at random byte boundaries. Whatever the input, the framer throws nothing but
 * {@link SseException}, ends, keeps no event above its limit, accounts for every byte, and gives
 * the same events however the input is split.
 */
class SseFramerPropertyTest {

    private static final int MAX_EVENT_BYTES = 300;
    private static final String[] TOKENS = {"data:", "data: ", "event: ", "id: ", "retry: 10", ":", ": ping",
            "\n", "\r", "\r\n", "\n\n", "\r\r", "{\"a\":1}", "[DONE]", "é", "\u0000", "x"};

    @Test
    void randomStreamsSplitAnywhereGiveTheSameEvents() {
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Random random = new Random(20260301);
            for (int round = 0; round < 3000; round++) {
                byte[] input = randomStream(random);
                Outcome whole = frame(input, new int[0]);
                for (int split = 0; split < 8; split++) {
                    Outcome chunked = frame(input, cuts(input.length, random));
                    if (!chunked.equals(whole)) {
                        fail("round " + round + ": split input framed differently\n  whole: " + whole
                                + "\n  split: " + chunked + "\n  input: " + Arrays.toString(input));
                    }
                }
                whole.checkBytesAccountedFor(input);
            }
        });
    }

    private static byte[] randomStream(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextInt(10) == 0) {
            out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        int pieces = random.nextInt(120);
        for (int i = 0; i < pieces; i++) {
            switch (random.nextInt(6)) {
                case 0 -> out.write(random.nextInt(256));
                case 1 -> {
                    byte[] noise = new byte[random.nextInt(40)];
                    random.nextBytes(noise);
                    out.writeBytes(noise);
                }
                case 2 -> out.writeBytes("x".repeat(random.nextInt(2 * MAX_EVENT_BYTES)).getBytes(StandardCharsets.UTF_8));
                default -> out.writeBytes(TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    static int[] cuts(int length, Random random) {
        if (length < 2) {
            return new int[0];
        }
        int count = random.nextInt(Math.min(length, 40));
        return random.ints(count, 1, length).sorted().distinct().toArray();
    }

    private static Outcome frame(byte[] input, int[] cuts) {
        List<SseEvent> events = new ArrayList<>();
        SseFramer framer = new SseFramer(MAX_EVENT_BYTES, events::add);
        try {
            Chunking.feed(input, cuts, framer::feed);
            byte[] pending = framer.pendingBytes();
            boolean partial = framer.hasPartialEvent();
            framer.finish();
            return new Outcome(List.copyOf(events), pending, partial, null);
        } catch (SseException e) {
            return new Outcome(List.of(), new byte[0], false, "SseException");
        } catch (RuntimeException e) {
            throw new AssertionError("the framer threw " + e + " (expected: SseException only)", e);
        }
    }

    private record Outcome(List<SseEvent> events, byte[] pending, boolean partial, String failure) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome that && events.equals(that.events) && Arrays.equals(pending, that.pending)
                    && partial == that.partial && java.util.Objects.equals(failure, that.failure);
        }

        @Override
        public int hashCode() {
            return events.hashCode();
        }

        void checkBytesAccountedFor(byte[] input) {
            if (failure != null) {
                return;
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (SseEvent event : events) {
                assertThat(event.raw().length).isLessThanOrEqualTo(MAX_EVENT_BYTES);
                all.writeBytes(event.raw());
            }
            // the last event may be one held back for a possible LF: it is then in events and in pending
            byte[] framed = all.toByteArray();
            boolean heldBack = !partial && pending.length > 0;
            if (!heldBack) {
                all.writeBytes(pending);
                framed = all.toByteArray();
            }
            assertThat(framed).as("every byte in one event or pending").isEqualTo(input);
        }
    }
}
