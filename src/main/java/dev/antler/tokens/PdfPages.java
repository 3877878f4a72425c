package dev.antler.tokens;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the pages of a base64 PDF by its page objects, decoding a chunk at a time (no copy of the whole
 * file). Page objects kept in compressed object streams cannot be seen, so a file with object streams, or
 * one that is not plain base64, counts as unknown.
 */
public final class PdfPages {

    /** The most pages the providers accept in one document (Anthropic and OpenAI: 100). */
    public static final long MAX = 100;
    private static final int CHUNK = 64 * 1024;
    private static final int CARRY = 24;
    private static final Pattern PAGE = Pattern.compile("/Type\\s*/Page(?![a-zA-Z])");
    private static final Pattern OBJECT_STREAM = Pattern.compile("/ObjStm");

    private PdfPages() {}

    /** The pages of {@code base64} (a data URL's prefix is skipped), or {@link #MAX} when they cannot be counted. */
    public static long bound(CharSequence base64) {
        int start = 0;
        if (base64.length() > 5 && base64.subSequence(0, 5).toString().equals("data:")) {
            while (start < base64.length() && base64.charAt(start) != ',') {
                start++;
            }
            start++;
        }
        int usable = (base64.length() - start) / 4 * 4;
        long pages = 0;
        String carry = "";
        try {
            for (int at = start; at < start + usable; at += CHUNK) {
                String part = base64.subSequence(at, Math.min(at + CHUNK, start + usable)).toString();
                String decoded = carry + new String(Base64.getDecoder().decode(part), StandardCharsets.ISO_8859_1);
                if (OBJECT_STREAM.matcher(decoded).find()) {
                    return MAX;
                }
                Matcher page = PAGE.matcher(decoded);
                while (page.find()) {
                    if (page.end() > carry.length()) { // one ending in the carry was counted with the chunk before
                        pages++;
                    }
                }
                carry = decoded.substring(Math.max(0, decoded.length() - CARRY));
            }
        } catch (IllegalArgumentException e) {
            return MAX;
        }
        return pages == 0 ? MAX : pages;
    }
}
