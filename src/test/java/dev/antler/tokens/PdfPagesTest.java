package dev.antler.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.PdfFiles;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PdfPagesTest {

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void countsPageObjectsNotThePageTree() {
        assertThat(PdfPages.bound(base64(PdfFiles.withPages(1)))).isEqualTo(1);
        assertThat(PdfPages.bound(base64(PdfFiles.withPages(7)))).isEqualTo(7);
        assertThat(PdfPages.bound("data:application/pdf;base64," + base64(PdfFiles.withPages(4)))).isEqualTo(4);
    }

    @Test
    void aPageObjectSplitAcrossChunksIsCountedOnce() {
        for (int shift = 0; shift < 40; shift++) {
            byte[] file = ("x".repeat(49_140 + shift) + "<< /Type /Page >>").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(PdfPages.bound(base64(file))).as("shift %d", shift).isEqualTo(1);
        }
    }

    @Test
    void unknownWhenPagesCannotBeSeen() {
        assertThat(PdfPages.bound(base64("%PDF-1.7 << /Type /ObjStm >> << /Type /Page >>".getBytes(
                StandardCharsets.ISO_8859_1)))).isEqualTo(PdfPages.MAX);
        assertThat(PdfPages.bound(base64("%PDF-1.7 no pages".getBytes(StandardCharsets.ISO_8859_1))))
                .isEqualTo(PdfPages.MAX);
        assertThat(PdfPages.bound("not base64 at all!")).isEqualTo(PdfPages.MAX);
    }
}
