package dev.antler.runway;

import java.nio.charset.StandardCharsets;

/**
 * The length of an MP4 video from its own header: the movie header box ({@code moov/mvhd}: timescale and
 * duration, ISO/IEC 14496-12 §8.2.2), found by walking the top-level boxes with small ranged reads, so a file whose
 * {@code moov} follows its media data costs a few reads, never the whole file. Runway's task object does not say
 * how long a video is; this is how the gateway learns the seconds made.
 */
final class Mp4Duration {

    /** Reads {@code length} bytes at {@code offset} (fewer at the end of the file); null when it cannot. */
    @FunctionalInterface
    interface Source {
        byte[] read(long offset, int length);
    }

    private static final int MAX_HOPS = 16;
    private static final int HEADER = 16;
    private static final int MOOV_READ = 64 * 1024;

    private Mp4Duration() {}

    /** The video's length in seconds, or a negative number when the file is not an MP4 this can read. */
    static double seconds(Source source) {
        long offset = 0;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            byte[] header = source.read(offset, HEADER);
            if (header == null || header.length < 8) {
                return -1;
            }
            long size = u32(header, 0);
            String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
            int headerSize = 8;
            if (size == 1) {
                if (header.length < 16) {
                    return -1;
                }
                size = u64(header, 8);
                headerSize = 16;
            }
            if (type.equals("moov")) {
                long body = size == 0 ? MOOV_READ : Math.min(size - headerSize, MOOV_READ);
                byte[] moov = body <= 0 ? null : source.read(offset + headerSize, (int) body);
                return moov == null ? -1 : mvhd(moov);
            }
            if (size < headerSize) {
                return -1; // size 0 (to the end of the file) before moov, or a broken box
            }
            offset += size;
        }
        return -1;
    }

    /** The movie header among {@code moov}'s children. */
    private static double mvhd(byte[] moov) {
        int at = 0;
        while (at + 8 <= moov.length) {
            long size = u32(moov, at);
            String type = new String(moov, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("mvhd")) {
                int version = moov[at + 8] & 0xff;
                int timescaleAt = at + 8 + 4 + (version == 1 ? 16 : 8);
                int durationAt = timescaleAt + 4;
                if (durationAt + (version == 1 ? 8 : 4) > moov.length) {
                    return -1;
                }
                long timescale = u32(moov, timescaleAt);
                long duration = version == 1 ? u64(moov, durationAt) : u32(moov, durationAt);
                return timescale == 0 || duration < 0 ? -1 : (double) duration / timescale;
            }
            if (size < 8) {
                return -1;
            }
            at += (int) Math.min(size, Integer.MAX_VALUE);
        }
        return -1;
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static long u64(byte[] b, int at) {
        return (u32(b, at) << 32) | u32(b, at + 4);
    }
}
