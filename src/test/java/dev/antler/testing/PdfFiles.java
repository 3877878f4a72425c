package dev.antler.testing;

import java.nio.charset.StandardCharsets;

/** Minimal PDF-like files for tests that count pages. */
public final class PdfFiles {

    private PdfFiles() {}

    /** A file with {@code pages} page objects, each after 49,150 bytes of padding so they straddle decoding chunks. */
    public static byte[] withPages(int pages) {
        StringBuilder out = new StringBuilder("%PDF-1.4\n1 0 obj << /Type /Pages /Count " + pages + " >> endobj\n");
        for (int i = 0; i < pages; i++) {
            out.append(" ".repeat(49_150)).append(i + 2).append(" 0 obj << /Type /Page /Parent 1 0 R >> endobj\n");
        }
        return out.append("%%EOF\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
