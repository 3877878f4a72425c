package dev.antler.runway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MP4 length reader, on byte arrays: no sockets. */
class Mp4DurationTest {

    /** A source over {@code file} that records the reads it served. */
    private static final class Reads implements Mp4Duration.Source {
        final byte[] file;
        final List<Long> offsets = new ArrayList<>();

        Reads(byte[] file) {
            this.file = file;
        }

        @Override
        public byte[] read(long offset, int length) {
            offsets.add(offset);
            int from = (int) Math.min(offset, file.length);
            return Arrays.copyOfRange(file, from, (int) Math.min(file.length, offset + length));
        }
    }

    @Test
    void aMoovAfterTheMediaIsFoundByHoppingOverIt() {
        Reads reads = new Reads(FakeRunway.mp4(5.04, 200_000));
        assertThat(Mp4Duration.seconds(reads)).isEqualTo(5.04);
        assertThat(reads.offsets).as("ftyp, mdat, moov's header and its body: never the media").hasSize(4);
    }

    @Test
    void aMoovFirstAndAVersionOneHeaderAndALargeSizeAreRead() {
        ByteBuffer mvhd = ByteBuffer.allocate(112).putInt(0x01000000).putLong(0).putLong(0).putInt(90_000)
                .putLong(90_000L * 8);
        byte[] moov = box("moov", box("mvhd", mvhd.array()));
        ByteBuffer large = ByteBuffer.allocate(16 + 10).putInt(1).put("mdat".getBytes(StandardCharsets.ISO_8859_1))
                .putLong(26);
        byte[] file = concat(box("ftyp", new byte[8]), moov, large.array());
        assertThat(Mp4Duration.seconds(new Reads(file))).isEqualTo(8.0);
        byte[] moovLast = concat(box("ftyp", new byte[8]), large.array(), moov);
        assertThat(Mp4Duration.seconds(new Reads(moovLast))).isEqualTo(8.0);
    }

    @Test
    void whatIsNotAnMp4IsUnknown() {
        assertThat(Mp4Duration.seconds(new Reads("<html>not found</html>".getBytes(StandardCharsets.UTF_8))))
                .isNegative();
        assertThat(Mp4Duration.seconds(new Reads(new byte[0]))).isNegative();
        assertThat(Mp4Duration.seconds((offset, length) -> null)).isNegative();
        byte[] truncated = Arrays.copyOf(FakeRunway.mp4(5, 100), 140);
        assertThat(Mp4Duration.seconds(new Reads(truncated))).isNegative();
        byte[] zeroBox = ByteBuffer.allocate(16).putInt(0).put("mdat".getBytes(StandardCharsets.ISO_8859_1)).array();
        assertThat(Mp4Duration.seconds(new Reads(zeroBox))).as("a box to the end of the file before moov").isNegative();
    }

    private static byte[] box(String type, byte[] body) {
        return ByteBuffer.allocate(8 + body.length).putInt(8 + body.length)
                .put(type.getBytes(StandardCharsets.ISO_8859_1)).put(body).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }
}
