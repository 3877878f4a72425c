package dev.antler.multipart;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartScannerTest {

    private static final String BOUNDARY = "----AntlerBoundary7MA4YWxkTrZu0gW";

    /** What a scan yields; compared across chunkings. */
    private record Result(List<Part> parts, Map<String, String> textFields) {
    }

    /** Writes a body and records where each value lands. */
    private static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final String boundary;
        private final List<Part> parts = new ArrayList<>();
        private final List<byte[]> values = new ArrayList<>();

        Body(String boundary, String preamble) {
            this.boundary = boundary;
            write(preamble.isEmpty() ? "--" + boundary : preamble + "\r\n--" + boundary);
        }

        /** {@code headers}: header lines, each ending in CRLF; the empty line is added here. */
        Body part(String lineSuffix, String headers, String name, String filename, String contentType,
                  byte[] value) {
            long partStart = out.size() - ("--" + boundary).length();
            write(lineSuffix + "\r\n" + headers + "\r\n");
            long start = out.size();
            out.writeBytes(value);
            parts.add(new Part(name, filename, contentType, partStart, start, out.size(),
                    Arrays.copyOf(value, Math.min(value.length, Part.MAX_LEADING_BYTES))));
            values.add(value);
            write("\r\n--" + boundary);
            return this;
        }

        Body field(String name, String value) {
            return part("", "Content-Disposition: form-data; name=\"" + name + "\"\r\n", name, null, null,
                    value.getBytes(UTF_8));
        }

        Body file(String name, String filename, String contentType, byte[] value) {
            return part("", "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + contentType + "\r\n", name, filename, contentType, value);
        }

        byte[] close(String epilogue) {
            write("--" + epilogue);
            return out.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(UTF_8));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static byte[] concat(byte[]... arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : arrays) {
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    /** A binary value full of near-delimiters: partial boundaries, stray CRs, the boundary as a longer word. */
    private static byte[] trickyBinary(String boundary, long seed) {
        byte[] noise = new byte[300];
        new Random(seed).nextBytes(noise);
        return concat(
                new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'},
                bytes("\r\n--" + boundary.substring(0, boundary.length() - 1) + "\r\n"),
                bytes("\r\n--" + boundary + "X\r\n"),
                bytes("\r\n--" + boundary + "-x"),
                bytes("\r\r\n--" + boundary + "_x"),
                noise,
                bytes("\r\n\r\n\r\r\r\n-\r\n--\r"),
                bytes("\r\n--" + boundary.substring(0, 5)),
                bytes("\r"));
    }

    private static Body richBody(String preamble) {
        Body body = new Body(BOUNDARY, preamble)
                .field("model", "gpt-image-1")
                .field("prompt", "A café at dusk — 夜\r\n--not a boundary")
                .part(" \t ", "content-DISPOSITION: Form-Data; NAME=size\r\nX-Ignored: yes\r\n"
                        + "CONTENT-TYPE: text/plain; charset=utf-8\r\n", "size", null,
                        "text/plain; charset=utf-8", bytes("1024x1024"))
                .field("user", "")
                .file("image", "cat.png", "image/png", trickyBinary(BOUNDARY, 1))
                .part("", "Content-Disposition: form-data; name=\"mask\"; filename=\"my \\\"mask\\\".png\"\r\n"
                        + "Content-Type: application/octet-stream\r\n", "mask", "my \"mask\".png",
                        "application/octet-stream", concat(bytes("\r\n--\r\n-\r\n--" + BOUNDARY.substring(0, 9)),
                                trickyBinary(BOUNDARY, 2)))
                .part("", "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n", "empty", "", null,
                        new byte[0])
                .part("", "Content-Disposition: form-data; name=\"rates\"; filename*=UTF-8''%E2%82%AC%20rates.csv\r\n",
                        "rates", "€ rates.csv", null, bytes("a,b\r\n1,2\r\n"))
                .field("model", "second value loses")
                .field("n", "2");
        return body;
    }

    private static Map<String, String> richFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("model", "gpt-image-1");
        fields.put("prompt", "A café at dusk — 夜\r\n--not a boundary");
        fields.put("size", "1024x1024");
        fields.put("user", "");
        fields.put("n", "2");
        return fields;
    }

    private static Result scan(byte[] body, int... cuts) {
        MultipartScanner scanner = new MultipartScanner(BOUNDARY, Limits.defaults());
        int from = 0;
        for (int cut : cuts) {
            scanner.feed(body, from, cut - from);
            from = cut;
        }
        scanner.feed(body, from, body.length - from);
        scanner.finish();
        return new Result(scanner.parts(), scanner.textFields());
    }

    private static Result scanInChunks(byte[] body, int chunk) {
        MultipartScanner scanner = new MultipartScanner(BOUNDARY, Limits.defaults());
        for (int i = 0; i < body.length; i += chunk) {
            scanner.feed(Arrays.copyOfRange(body, i, Math.min(body.length, i + chunk)));
        }
        scanner.finish();
        return new Result(scanner.parts(), scanner.textFields());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "preamble\r\n--" + BOUNDARY + "X not a delimiter\r\n----AntlerBound\r"})
    void everyChunkingFindsTheSameParts(String preamble) {
        Body rich = richBody(preamble);
        byte[] body = rich.close("\r\nepilogue --" + BOUNDARY + "\r\nContent-Disposition: junk\r\n");
        Result expected = new Result(rich.parts, richFields());

        Result whole = scan(body);
        assertThat(whole).isEqualTo(expected);
        for (int i = 0; i < whole.parts().size(); i++) {
            Part part = whole.parts().get(i);
            assertThat(Arrays.copyOfRange(body, (int) part.valueStart(), (int) part.valueEnd()))
                    .isEqualTo(rich.values.get(i));
            assertThat(part.size()).isEqualTo(rich.values.get(i).length);
        }

        for (int cut = 0; cut <= body.length; cut++) {
            assertThat(scan(body, cut)).as("split at %d", cut).isEqualTo(expected);
        }
        assertThat(scanInChunks(body, 1)).isEqualTo(expected);
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int[] cuts = random.ints(random.nextInt(1, 40), 0, body.length + 1).sorted().toArray();
            assertThat(scan(body, cuts)).as("cuts %s", Arrays.toString(cuts)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "preamble\r\n--" + BOUNDARY + "X not a delimiter\r\n----AntlerBound\r"})
    void eachPartSegmentCanBeCutOutUnderEveryChunking(String preamble) {
        Body rich = richBody(preamble);
        byte[] body = rich.close("\r\nepilogue\r\n");
        List<Part> parts = scan(body).parts();
        for (int i = 0; i < parts.size(); i++) {
            Part cut = parts.get(i);
            assertThat(new String(body, (int) cut.start(), 2 + BOUNDARY.length(), ISO_8859_1))
                    .isEqualTo("--" + BOUNDARY);
            byte[] without = concat(Arrays.copyOfRange(body, 0, (int) cut.start()),
                    Arrays.copyOfRange(body, (int) cut.segmentEnd(), body.length));
            List<String> expectedNames = new ArrayList<>();
            List<byte[]> expectedValues = new ArrayList<>();
            for (int j = 0; j < parts.size(); j++) {
                if (j != i) {
                    expectedNames.add(parts.get(j).name());
                    expectedValues.add(rich.values.get(j));
                }
            }
            for (int[] cuts : dev.antler.testing.Chunking.all(without.length, 5)) {
                if (cuts.length > 1 && cuts.length < without.length - 1 && i % 3 != 0) {
                    continue; // every chunking for every third cut part; whole and 2-chunk splits for all
                }
                MultipartScanner scanner = new MultipartScanner(BOUNDARY, Limits.defaults());
                dev.antler.testing.Chunking.feed(without, cuts, scanner::feed);
                scanner.finish();
                List<Part> left = scanner.parts();
                assertThat(left).extracting(Part::name).containsExactlyElementsOf(expectedNames);
                for (int j = 0; j < left.size(); j++) {
                    Part part = left.get(j);
                    assertThat(Arrays.copyOfRange(without, (int) part.valueStart(), (int) part.valueEnd()))
                            .as("part %d after cutting part %d", j, i).isEqualTo(expectedValues.get(j));
                    assertThat(new String(without, (int) part.start(), 2 + BOUNDARY.length(), ISO_8859_1))
                            .isEqualTo("--" + BOUNDARY);
                }
            }
        }
    }

    @Test
    void aPartInsertedAtASegmentStartIsFound() {
        byte[] body = new Body(BOUNDARY, "").field("prompt", "cat").file("image", "a.png", "image/png",
                trickyBinary(BOUNDARY, 3)).close("");
        List<Part> parts = scan(body).parts();
        byte[] inserted = bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nV_2\r\n");
        for (long at : new long[] {parts.get(0).start(), parts.get(1).start(), parts.get(1).segmentEnd()}) {
            byte[] with = concat(Arrays.copyOfRange(body, 0, (int) at), inserted,
                    Arrays.copyOfRange(body, (int) at, body.length));
            for (int split = 0; split <= with.length; split += 7) {
                Result result = scan(with, split);
                assertThat(result.textFields()).containsEntry("model", "V_2").containsEntry("prompt", "cat");
                assertThat(result.parts()).extracting(Part::name).hasSize(3).contains("image");
            }
        }
    }

    @Test
    void exposesPartsByNameAndClassifiesFiles() {
        MultipartScanner scanner = new MultipartScanner(BOUNDARY, Limits.defaults());
        scanner.feed(richBody("").close(""));
        scanner.finish();

        assertThat(scanner.firstPart("model")).map(p -> p.valueEnd() - p.valueStart()).contains(11L);
        assertThat(scanner.firstPart("image")).map(Part::isFile).contains(true);
        assertThat(scanner.firstPart("image")).map(Part::contentType).contains("image/png");
        assertThat(scanner.firstPart("image").orElseThrow().leadingBytes())
                .startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(scanner.firstPart("n")).map(Part::isFile).contains(false);
        assertThat(scanner.firstPart("missing")).isEmpty();
        assertThat(scanner.parts()).filteredOn(p -> p.name().equals("model")).hasSize(2);
        assertThat(scanner.textFields()).doesNotContainKeys("image", "mask", "empty", "rates");
        assertThatThrownBy(() -> scanner.parts().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scanner.textFields().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void reportsPartsAsTheyComplete() {
        byte[] body = new Body(BOUNDARY, "").field("model", "m").file("file", "a.wav", "audio/wav", bytes("RIFF"))
                .close("");
        int fileHeaders = indexOf(body, bytes("RIFF"));
        MultipartScanner scanner = new MultipartScanner(BOUNDARY, Limits.defaults());

        scanner.feed(body, 0, fileHeaders + 2);
        assertThat(scanner.parts()).extracting(Part::name).containsExactly("model");
        assertThat(scanner.textFields()).containsExactly(Map.entry("model", "m"));

        scanner.feed(body, fileHeaders + 2, body.length - fileHeaders - 2);
        scanner.finish();
        assertThat(scanner.parts()).extracting(Part::name).containsExactly("model", "file");
    }

    @Test
    void acceptsABodyWithoutParts() {
        MultipartScanner scanner = new MultipartScanner("b", Limits.defaults());
        scanner.feed(bytes("--b--\r\n--b\r\nanything"));
        scanner.finish();
        assertThat(scanner.parts()).isEmpty();
        assertThat(scanner.textFields()).isEmpty();
    }

    @Test
    void streamsALargeFileWithoutBufferingIt() {
        int chunkSize = 64 * 1024;
        int chunks = 320;
        byte[] chunk = new byte[chunkSize];
        Random random = new Random(7);
        random.nextBytes(chunk);
        byte[] nearDelimiter = bytes("\r\n--" + BOUNDARY.substring(0, 20));
        for (int at = 100; at + nearDelimiter.length < chunkSize; at += 997) {
            System.arraycopy(nearDelimiter, 0, chunk, at, nearDelimiter.length);
        }
        byte[] head = bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
                + "whisper-1\r\n--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"talk.mp3\"\r\n"
                + "Content-Type: audio/mpeg\r\n\r\n");
        byte[] tail = bytes("\r\n--" + BOUNDARY + "--\r\n");

        MultipartScanner scanner = new MultipartScanner(BOUNDARY, Limits.defaults());
        scanner.feed(head);
        for (int i = 0; i < chunks; i++) {
            scanner.feed(chunk, 0, chunkSize);
        }
        scanner.feed(tail);
        scanner.finish();

        Part file = scanner.firstPart("file").orElseThrow();
        assertThat(file.size()).isEqualTo(20L * 1024 * 1024);
        assertThat(file.valueStart()).isEqualTo(head.length);
        assertThat(file.leadingBytes()).isEqualTo(Arrays.copyOf(chunk, 16));
        assertThat(scanner.textFields()).containsExactly(Map.entry("model", "whisper-1"));
        assertThat(scanner.bufferedCapacity()).isLessThan(4096);
    }

    @Test
    void acceptsATextFieldOfExactlyTheLimit() {
        String value = "x".repeat(Limits.DEFAULT_MAX_TEXT_FIELD_BYTES);
        MultipartScanner scanner = new MultipartScanner(BOUNDARY, Limits.defaults());
        scanner.feed(new Body(BOUNDARY, "").field("prompt", value).close(""));
        scanner.finish();
        assertThat(scanner.textFields().get("prompt")).isEqualTo(value);
    }

    @Test
    void refusesATextFieldOverTheLimit() {
        byte[] body = new Body(BOUNDARY, "").field("prompt", "x".repeat(Limits.DEFAULT_MAX_TEXT_FIELD_BYTES + 1))
                .close("");
        MultipartScanner scanner = new MultipartScanner(BOUNDARY, Limits.defaults());
        assertThatThrownBy(() -> scanner.feed(body))
                .isInstanceOf(MultipartException.class)
                .hasMessage("multipart text field \"prompt\" size: more than 65536 bytes"
                        + " (expected: <= 65536 bytes, or a file part with a filename)");
    }

    @Test
    void refusesPartsOverTheLimit() {
        assertThat(scan(fields(Limits.DEFAULT_MAX_PARTS)).parts()).hasSize(1000);
        assertThatThrownBy(() -> scan(fields(Limits.DEFAULT_MAX_PARTS + 1)))
                .isInstanceOf(MultipartException.class)
                .hasMessage("multipart part count: 1001 (expected: <= 1000)");
    }

    private static byte[] fields(int count) {
        Body body = new Body(BOUNDARY, "");
        for (int i = 0; i < count; i++) {
            body.field("f" + i, "v");
        }
        return body.close("");
    }

    @Test
    void refusesAHeaderBlockOverTheLimit() {
        String headers = "Content-Disposition: form-data; name=\"a\"\r\n";
        Limits limits = new Limits(100, 10, headers.length() + 2);
        MultipartScanner fits = new MultipartScanner("b", limits);
        fits.feed(bytes("--b\r\n" + headers + "\r\nv\r\n--b--"));
        fits.finish();
        assertThat(fits.textFields()).containsExactly(Map.entry("a", "v"));

        MultipartScanner tooLarge = new MultipartScanner("b", limits);
        assertThatThrownBy(() -> tooLarge.feed(bytes("--b\r\nX: 1\r\n" + headers + "\r\nv\r\n--b--")))
                .isInstanceOf(MultipartException.class)
                .hasMessage("multipart part header block: more than 44 bytes (expected: <= 44 bytes)");
    }

    @Test
    void refusesEndlessBoundaryPadding() {
        MultipartScanner scanner = new MultipartScanner("b", new Limits(100, 10, 8));
        scanner.feed(bytes("--b" + " ".repeat(8)));
        assertThatThrownBy(() -> scanner.feed(bytes(" ")))
                .isInstanceOf(MultipartException.class)
                .hasMessage("multipart boundary padding: more than 8 bytes (expected: <= 8 bytes)");
    }

    static Stream<Arguments> malformedBodies() {
        String cd = "Content-Disposition: form-data; name=\"a\"\r\n";
        String close = "(expected: closing boundary \"--b--\")";
        return Stream.of(
                Arguments.of("", "multipart body: truncated before any boundary " + close),
                Arguments.of("no boundary at all\r\n", "multipart body: truncated before any boundary " + close),
                Arguments.of("--b\nContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n",
                        "multipart body: truncated before any boundary " + close),
                Arguments.of("--b\r\nContent-Disp", "multipart body: truncated in part headers " + close),
                Arguments.of("--b\r\n" + cd + "\r\nval", "multipart body: truncated in part \"a\" " + close),
                Arguments.of("--b\r\n" + cd + "\r\nval\r\n--b", "multipart body: truncated after a boundary " + close),
                Arguments.of("--b\r\n" + cd + "\r\nval\r\n--b-", "multipart body: truncated after a boundary " + close),
                Arguments.of("--b\r\n" + cd + "\r\nval\r\n--b\r\n",
                        "multipart body: truncated in part headers " + close),
                Arguments.of("--b  x\r\n", "multipart boundary line: byte 0x78 after boundary"
                        + " (expected: optional spaces then CRLF)"),
                Arguments.of("--b\rx", "multipart boundary line: byte 0x78 after boundary"
                        + " (expected: optional spaces then CRLF)"),
                Arguments.of("--b\r\nnot a header\r\n\r\n",
                        "multipart part header line: \"not a header\" (expected: Name: value, without line folding)"),
                Arguments.of("--b\r\nContent-Disposition : form-data; name=a\r\n\r\n",
                        "multipart part header line: \"Content-Disposition : form-data; name=a\""
                                + " (expected: Name: value, without line folding)"),
                Arguments.of("--b\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\n",
                        "multipart part header line: \" name=\\\"a\\\"\""
                                + " (expected: Name: value, without line folding)"),
                Arguments.of("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--",
                        "multipart part header Content-Disposition: missing (expected: form-data; name=\"...\")"),
                Arguments.of("--b\r\n\r\nv\r\n--b--",
                        "multipart part header Content-Disposition: missing (expected: form-data; name=\"...\")"),
                Arguments.of("--b\r\n" + cd + cd + "\r\n",
                        "multipart part header Content-Disposition: repeated (expected: at most one per part)"),
                Arguments.of("--b\r\nContent-Disposition: form-data; filename=\"a.png\"\r\n\r\n",
                        "multipart part name: missing (expected: a name parameter in Content-Disposition:"
                                + " \"form-data; filename=\\\"a.png\\\"\")"),
                Arguments.of("--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n",
                        "multipart Content-Disposition type: \"attachment\" (expected: form-data)"),
                Arguments.of("--b\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\n",
                        "multipart Content-Disposition header: \"form-data; name=\\\"a\\\"; name=\\\"b\\\"\""
                                + " (expected: parameter name only once)"),
                Arguments.of("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\n",
                        "multipart Content-Disposition header: \"form-data; name=\\\"a\" (expected: a closing quote)"),
                Arguments.of("--b\r\nContent-Disposition: form-data; name=\"a\"\n\n",
                        "multipart part header line ending: bare LF (expected: CRLF)"));
    }

    @ParameterizedTest
    @MethodSource("malformedBodies")
    void refusesMalformedBodies(String body, String message) {
        byte[] bytes = bytes(body);
        for (int chunk : new int[] {Math.max(1, bytes.length), 1}) {
            MultipartScanner scanner = new MultipartScanner("b", Limits.defaults());
            assertThatThrownBy(() -> {
                for (int i = 0; i < bytes.length; i += chunk) {
                    scanner.feed(bytes, i, Math.min(chunk, bytes.length - i));
                }
                scanner.finish();
            }).as("chunk %d", chunk).isInstanceOf(MultipartException.class).hasMessage(message);
        }
    }

    @Test
    void keepsFailingAfterAFailure() {
        MultipartScanner scanner = new MultipartScanner("b", Limits.defaults());
        MultipartException failure = catchFailure(() -> scanner.feed(bytes("--b\r\nbad\r\n\r\n")));
        assertThat(catchFailure(() -> scanner.feed(bytes("more")))).isSameAs(failure);
        assertThat(catchFailure(scanner::finish)).isSameAs(failure);
    }

    @Test
    void refusesInputAfterFinish() {
        MultipartScanner scanner = new MultipartScanner("b", Limits.defaults());
        scanner.feed(bytes("--b--"));
        scanner.finish();
        assertThatThrownBy(() -> scanner.feed(bytes("x"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(scanner::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void checksArguments() {
        MultipartScanner scanner = new MultipartScanner("b", Limits.defaults());
        assertThatThrownBy(() -> scanner.feed(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> scanner.feed(null, 0, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MultipartScanner(null, Limits.defaults()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MultipartScanner("b", null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\r\nb", "caf\u00e9", "tab\there"})
    void refusesInvalidBoundaries(String boundary) {
        assertThatThrownBy(() -> new MultipartScanner(boundary, Limits.defaults()))
                .isInstanceOf(MultipartException.class)
                .hasMessageStartingWith("multipart boundary: ")
                .hasMessageEndingWith(" (expected: 1 to 70 printable ASCII characters)");
    }

    @Test
    void boundaryLengthIsLimitedTo70() {
        assertThat(new MultipartScanner("b".repeat(70), Limits.defaults())).isNotNull();
        assertThatThrownBy(() -> new MultipartScanner("b".repeat(71), Limits.defaults()))
                .isInstanceOf(MultipartException.class);
    }

    static Stream<Arguments> contentTypes() {
        return Stream.of(
                Arguments.of("multipart/form-data; boundary=abc", "abc"),
                Arguments.of("multipart/form-data;boundary=abc", "abc"),
                Arguments.of("Multipart/Form-Data; BOUNDARY=\"a b;c\"", "a b;c"),
                Arguments.of("multipart/form-data; boundary=\"with \\\"quote\\\"\"", "with \"quote\""),
                Arguments.of("multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW ",
                        "----WebKitFormBoundary7MA4YWxkTrZu0gW"),
                Arguments.of("multipart/form-data; boundary=----=_Part_1;", "----=_Part_1"));
    }

    @ParameterizedTest
    @MethodSource("contentTypes")
    void findsTheBoundary(String contentType, String boundary) {
        assertThat(MultipartScanner.boundaryOf(contentType)).contains(boundary);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "application/json", "multipart/mixed; boundary=abc", "multipart/form-data",
            "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
            "multipart/form-data; boundary=\"abc", "multipart/form-data; boundary=a; boundary=b",
            "multipart/form-data; boundary=a b", "; boundary=abc"})
    void findsNoBoundary(String contentType) {
        assertThat(MultipartScanner.boundaryOf(contentType)).isEqualTo(Optional.empty());
    }

    private static MultipartException catchFailure(Runnable action) {
        try {
            action.run();
        } catch (MultipartException e) {
            return e;
        }
        throw new AssertionError("no MultipartException");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
