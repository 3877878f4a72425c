package dev.antler.multipart;

import static dev.antler.multipart.MultipartException.quoted;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * The headers of one part that matter for form data.
 *
 * @param filename    null for a text field
 * @param contentType null if absent
 */
record PartHeaders(String name, String filename, String contentType) {

    private static final String CRLF = "\r\n";

    /**
     * Parses a header block as the scanner collects it: header lines each ending in CRLF, then the empty
     * line's CRLF ({@code "\r\n"} alone for a part without headers).
     */
    static PartHeaders parse(byte[] block, int length) {
        // Raw UTF-8 is what browsers put in filenames.
        String text = new String(block, 0, length, UTF_8);
        if (!text.endsWith(CRLF)) {
            throw new MultipartException("multipart part header block", quoted(text), "lines ending in CRLF");
        }
        String disposition = null;
        String contentType = null;
        int lineStart = 0;
        int end = text.length() - CRLF.length();
        while (lineStart < end) {
            int lineEnd = text.indexOf(CRLF, lineStart);
            String line = text.substring(lineStart, lineEnd);
            lineStart = lineEnd + CRLF.length();
            int colon = line.indexOf(':');
            if (colon <= 0 || !isHeaderName(line, colon) || line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new MultipartException("multipart part header line", quoted(line),
                        "Name: value, without line folding");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-disposition" -> disposition = once("Content-Disposition", disposition, value);
                case "content-type" -> contentType = once("Content-Type", contentType, value);
                default -> { } // Content-Transfer-Encoding and the like are ignored, as RFC 7578 allows
            }
        }
        if (disposition == null) {
            throw new MultipartException("multipart part header Content-Disposition", "missing",
                    "form-data; name=\"...\"");
        }
        return fromDisposition(disposition, contentType == null || contentType.isEmpty() ? null : contentType);
    }

    private static PartHeaders fromDisposition(String disposition, String contentType) {
        HeaderValue value = HeaderValue.parse("Content-Disposition", disposition);
        if (!value.type().equals("form-data")) {
            throw new MultipartException("multipart Content-Disposition type", quoted(value.type()), "form-data");
        }
        String name = value.params().get("name");
        if (name == null) {
            throw new MultipartException("multipart part name", "missing",
                    "a name parameter in Content-Disposition: " + quoted(disposition));
        }
        String filename = value.params().get("filename");
        String extended = value.params().get("filename*");
        if (extended != null) {
            String decoded = decodeExtValue(extended);
            filename = decoded != null ? decoded : extended;
        }
        return new PartHeaders(name, filename, contentType);
    }

    private static String once(String header, String previous, String value) {
        if (previous != null) {
            throw new MultipartException("multipart part header " + header, "repeated", "at most one per part");
        }
        return value;
    }

    private static boolean isHeaderName(String line, int colon) {
        for (int i = 0; i < colon; i++) {
            char c = line.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** RFC 8187 {@code charset'language'percent-encoded}; null if malformed or of an unknown charset. */
    static String decodeExtValue(String value) {
        int firstQuote = value.indexOf('\'');
        int secondQuote = firstQuote < 0 ? -1 : value.indexOf('\'', firstQuote + 1);
        if (secondQuote < 0) {
            return null;
        }
        Charset charset = switch (value.substring(0, firstQuote).toLowerCase(Locale.ROOT)) {
            case "utf-8" -> UTF_8;
            case "iso-8859-1" -> ISO_8859_1;
            default -> null;
        };
        if (charset == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = secondQuote + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                int high = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
                if (low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        return bytes.toString(charset);
    }
}
