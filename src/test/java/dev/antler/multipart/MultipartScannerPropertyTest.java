package dev.antler.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.antler.testing.Chunking;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The multipart scanner under hostile input: thousands of random bodies (well-formed ones, then the
 * same mutated), each split at random byte boundaries. Whatever the input, the scanner throws nothing
 * but {@link MultipartException}, ends, keeps its buffers within the limits, and finds the same parts
 * and fields however the body is split.
 */
class MultipartScannerPropertyTest {

    private static final String BOUNDARY = "xYz-7";
    private static final Limits LIMITS = new Limits(128, 8, 256);
    /** Buffers may round up to a power of two above a limit, and hold a few leading bytes per part. */
    private static final int MAX_BUFFERED = 4 * (LIMITS.maxTextFieldBytes() + LIMITS.maxHeaderBytes()) + 64;
    private static final String[] NASTY = {"\r\n", "\r\n--" + BOUNDARY, "--" + BOUNDARY, "\r\n--" + BOUNDARY + "--",
            "\r\n--xYz", "\r", "--", "Content-Disposition: form-data; name=\"", "\"; filename=\"a.png\"", ": ", " \t"};

    @Test
    void randomBodiesSplitAnywhereGiveTheSameParts() {
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Random random = new Random(20260302);
            for (int round = 0; round < 3000; round++) {
                byte[] body = wellFormed(random);
                if (round % 3 != 0) {
                    body = mutate(body, random);
                }
                Outcome whole = scan(body, new int[0]);
                for (int split = 0; split < 8; split++) {
                    Outcome chunked = scan(body, cuts(body.length, random));
                    if (!chunked.equals(whole)) {
                        fail("round " + round + ": split body scanned differently\n  whole: " + whole
                                + "\n  split: " + chunked + "\n  body: "
                                + new String(body, StandardCharsets.ISO_8859_1));
                    }
                }
            }
        });
    }

    @Test
    void wellFormedBodiesAreReadCompletely() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            Outcome outcome = scan(wellFormed(random), new int[0]);
            assertThat(outcome.failure()).as("round %d", round).isNull();
        }
    }

    private static byte[] wellFormed(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = random.nextInt(LIMITS.maxParts() + 1);
        for (int i = 0; i < parts; i++) {
            out.writeBytes(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            boolean file = random.nextBoolean();
            String disposition = "Content-Disposition: form-data; name=\"f" + random.nextInt(4) + "\""
                    + (file ? "; filename=\"x" + i + ".bin\"\r\nContent-Type: application/octet-stream" : "");
            out.writeBytes((disposition + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int size = random.nextInt(file ? 600 : LIMITS.maxTextFieldBytes());
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            while (value.size() < size) {
                if (random.nextInt(40) == 0) {
                    // looks like a delimiter but is not one: a delimiter needs "\r\n--" + the full boundary
                    value.writeBytes(("\r\n--" + BOUNDARY.substring(0, random.nextInt(BOUNDARY.length())) + "Q")
                            .getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    value.write(file ? random.nextInt(256) : 'a' + random.nextInt(26));
                }
            }
            out.write(value.toByteArray(), 0, size);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static byte[] mutate(byte[] body, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int edits = 1 + random.nextInt(6);
        int at = 0;
        for (int e = 0; e < edits && at < body.length; e++) {
            int next = at + random.nextInt(body.length - at);
            out.write(body, at, next - at);
            switch (random.nextInt(4)) {
                case 0 -> next += random.nextInt(8); // delete
                case 1 -> out.write(random.nextInt(256)); // insert a byte
                case 2 -> out.writeBytes(NASTY[random.nextInt(NASTY.length)].getBytes(StandardCharsets.ISO_8859_1));
                default -> out.writeBytes("A".repeat(random.nextInt(600)).getBytes(StandardCharsets.ISO_8859_1));
            }
            at = Math.min(next, body.length);
        }
        out.write(body, at, body.length - at);
        byte[] mutated = out.toByteArray();
        return random.nextInt(5) == 0 ? Arrays.copyOf(mutated, random.nextInt(mutated.length + 1)) : mutated;
    }

    private static int[] cuts(int length, Random random) {
        if (length < 2) {
            return new int[0];
        }
        return random.ints(random.nextInt(Math.min(length, 60)), 1, length).sorted().distinct().toArray();
    }

    private static Outcome scan(byte[] body, int[] cuts) {
        MultipartScanner scanner = new MultipartScanner(BOUNDARY, LIMITS);
        int[] maxBuffered = {0};
        String failure = null;
        try {
            Chunking.feed(body, cuts, (data, offset, length) -> {
                scanner.feed(data, offset, length);
                maxBuffered[0] = Math.max(maxBuffered[0], scanner.bufferedCapacity());
            });
            scanner.finish();
        } catch (MultipartException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            throw new AssertionError("the scanner threw " + e + " (expected: MultipartException only)", e);
        }
        assertThat(maxBuffered[0]).as("bytes buffered").isLessThanOrEqualTo(MAX_BUFFERED);
        assertThat(scanner.parts()).hasSizeLessThanOrEqualTo(LIMITS.maxParts());
        // each byte decodes to at most one char (an invalid one to U+FFFD)
        scanner.textFields().values().forEach(v -> assertThat(v.length())
                .isLessThanOrEqualTo(LIMITS.maxTextFieldBytes()));
        return new Outcome(scanner.parts(), scanner.textFields(), failure);
    }

    private record Outcome(List<Part> parts, Map<String, String> fields, String failure) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome that && parts.equals(that.parts) && fields.equals(that.fields)
                    && Objects.equals(failure, that.failure);
        }

        @Override
        public int hashCode() {
            return parts.hashCode();
        }
    }
}
