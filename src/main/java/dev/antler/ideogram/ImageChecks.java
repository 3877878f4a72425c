package dev.antler.ideogram;

import dev.antler.core.GatewayException;
import dev.antler.multipart.Part;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks an uploaded image as Ideogram does, from what the multipart scanner kept of it: its size and its
 * leading bytes (JPEG, PNG or WEBP only; at most 10 MB each).
 */
final class ImageChecks {

    static final long MAX_IMAGE_BYTES = 10L * 1024 * 1024;
    private static final String TYPES = "a JPEG, PNG or WEBP image";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ImageChecks() {}

    static void check(String field, Part part) {
        if (part.size() > MAX_IMAGE_BYTES) {
            throw GatewayException.tooLarge(field + ": " + part.size() + " bytes (expected: at most "
                    + MAX_IMAGE_BYTES + " bytes, 10 MB, per image)");
        }
        byte[] lead = part.leadingBytes();
        if (!isJpeg(lead) && !isPng(lead) && !isWebp(lead)) {
            throw Checks.invalid(field, "a file starting with bytes " + HexFormat.of().formatHex(lead, 0,
                    Math.min(lead.length, 12)), TYPES);
        }
    }

    /** Checks each image of a repeated file field and their total, which Ideogram also caps at 10 MB. */
    static void checkAll(String field, List<Part> parts) {
        long total = 0;
        for (Part part : parts) {
            check(field, part);
            total += part.size();
        }
        if (total > MAX_IMAGE_BYTES) {
            throw GatewayException.tooLarge(field + ": " + total + " bytes in all (expected: at most "
                    + MAX_IMAGE_BYTES + " bytes, 10 MB, across all its images)");
        }
    }

    static String expected() {
        return TYPES + " of at most 10 MB";
    }

    private static boolean isJpeg(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
    }

    private static boolean isPng(byte[] b) {
        if (b.length < PNG.length) {
            return false;
        }
        for (int i = 0; i < PNG.length; i++) {
            if (b[i] != PNG[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWebp(byte[] b) {
        return b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P';
    }
}
