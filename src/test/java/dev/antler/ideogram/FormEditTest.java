package dev.antler.ideogram;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.multipart.Limits;
import dev.antler.multipart.MultipartScanner;
import dev.antler.multipart.Part;
import dev.antler.relay.FormEdit;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.testing.Chunking;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream body built from pieces of the spool file is a well-formed form with exactly the intended changes. */
class FormEditTest {

    private Path file;

    @BeforeEach
    void createFile() throws Exception {
        file = Files.createTempFile("form-edit-", ".part");
    }

    @AfterEach
    void deleteFile() throws Exception {
        Files.deleteIfExists(file);
    }

    private RequestBody.Spooled spool(byte[] body) throws Exception {
        Files.write(file, body);
        MultipartScanner scanner = new MultipartScanner(Form.BOUNDARY, Limits.defaults());
        scanner.feed(body);
        scanner.finish();
        return new RequestBody.Spooled(file, body.length, Form.contentType(), scanner);
    }

    private static byte[] assemble(byte[] body, UpstreamRequest.FilePieces pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (UpstreamRequest.Piece piece : pieces.pieces()) {
            switch (piece) {
                case UpstreamRequest.FileRange range -> out.write(body, (int) range.start(), (int) range.length());
                case UpstreamRequest.Literal literal -> out.writeBytes(literal.bytes());
            }
        }
        assertThat((long) out.size()).isEqualTo(pieces.length());
        return out.toByteArray();
    }

    /** Scans {@code body} under every 2-chunk split and a few random chunkings; all must agree. */
    private static MultipartScanner rescan(byte[] body) {
        MultipartScanner first = null;
        for (int[] cuts : Chunking.all(body.length, 10)) {
            if (cuts.length == body.length - 1 && body.length > 4096) {
                continue; // byte-by-byte on a large body adds nothing the other splits miss
            }
            MultipartScanner scanner = new MultipartScanner(Form.BOUNDARY, Limits.defaults());
            Chunking.feed(body, cuts, scanner::feed);
            scanner.finish();
            if (first == null) {
                first = scanner;
            } else {
                assertThat(scanner.parts()).isEqualTo(first.parts());
            }
        }
        return first;
    }

    @Test
    void dropsEmptyPartsAnywhereAndAddsAField() throws Exception {
        byte[] image = new byte[3000];
        new Random(5).nextBytes(image);
        byte[] body = new Form().field("seed", "").png("image_file", image).field("prompt", "cat")
                .field("style_type", "").field("num_images", "").bytes();
        RequestBody.Spooled spooled = spool(body);
        FormEdit edit = new FormEdit(spooled, Form.BOUNDARY);
        new IdeogramForm(spooled).emptyParts().forEach(edit::drop);
        edit.append("model", "V_2");

        MultipartScanner result = rescan(assemble(body, edit.pieces()));

        assertThat(result.parts()).extracting(Part::name).containsExactly("image_file", "prompt", "model");
        assertThat(result.textFields()).containsExactly(Map.entry("prompt", "cat"), Map.entry("model", "V_2"));
        byte[] out = assemble(body, edit.pieces());
        Part file = result.firstPart("image_file").orElseThrow();
        assertThat(Arrays.copyOfRange(out, (int) file.valueStart(), (int) file.valueEnd())).isEqualTo(image);
        assertThat(new String(out, 0, 2 + Form.BOUNDARY.length(), ISO_8859_1)).isEqualTo("--" + Form.BOUNDARY);
        assertThat(new String(out, ISO_8859_1)).endsWith("--" + Form.BOUNDARY + "--\r\n");
    }

    @Test
    void replacesAValueAndLeavesEverythingElseByteForByte() throws Exception {
        byte[] body = new Form().field("model", "V_2").png("image_file", Form.png(false))
                .field("image_request", "{\"prompt\":\"x\",\"seed\":\"\"}").bytes();
        RequestBody.Spooled spooled = spool(body);
        List<Part> parts = spooled.scanner().parts();
        FormEdit edit = new FormEdit(spooled, Form.BOUNDARY).replace(parts.get(0), "V_2_TURBO".getBytes(UTF_8))
                .replace(parts.get(2), "{\"prompt\":\"x\"}".getBytes(UTF_8));

        byte[] out = assemble(body, edit.pieces());

        String expected = new String(body, ISO_8859_1).replace("V_2\r\n", "V_2_TURBO\r\n")
                .replace("{\"prompt\":\"x\",\"seed\":\"\"}", "{\"prompt\":\"x\"}");
        assertThat(new String(out, ISO_8859_1)).isEqualTo(expected);
        assertThat(rescan(out).textFields()).containsEntry("model", "V_2_TURBO");
    }

    @Test
    void withoutChangesTheBodyIsOneRangeOfTheFile() throws Exception {
        byte[] body = new Form().field("prompt", "cat").bytes();
        UpstreamRequest.FilePieces pieces = new FormEdit(spool(body), Form.BOUNDARY).pieces();
        assertThat(pieces.pieces()).containsExactly(new UpstreamRequest.FileRange(0, body.length));
    }
}
