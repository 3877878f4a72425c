package dev.antler.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartTest {

    @Test
    void derivesSizeAndKind() {
        Part file = new Part("image", "a.png", "image/png", 0, 10, 110, new byte[16]);
        Part text = new Part("model", null, null, 0, 5, 8, new byte[] {'a', 'b', 'c'});
        assertThat(file.size()).isEqualTo(100);
        assertThat(file.isFile()).isTrue();
        assertThat(text.size()).isEqualTo(3);
        assertThat(text.isFile()).isFalse();
        assertThat(file.segmentEnd()).isEqualTo(112);
    }

    @Test
    void comparesLeadingBytesByContent() {
        Part a = new Part("f", "", null, 0, 0, 2, new byte[] {1, 2});
        Part b = new Part("f", "", null, 0, 0, 2, new byte[] {1, 2});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Part("f", "", null, 0, 0, 2, new byte[] {1, 3}));
        assertThat(a.toString()).contains("leadingBytes=0102");
    }

    @Test
    void copiesLeadingBytesInAndOut() {
        byte[] leading = {1, 2};
        Part part = new Part("f", null, null, 0, 0, 2, leading);
        leading[0] = 9;
        part.leadingBytes()[1] = 9;
        assertThat(part.leadingBytes()).containsExactly(1, 2);
    }

    @Test
    void checksItsRange() {
        assertThatThrownBy(() -> new Part("f", null, null, 0, 5, 4, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("part value range: [5, 4) (expected: 0 <= start <= end)");
        assertThatThrownBy(() -> new Part("f", null, null, 0, 0, 20, new byte[20]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("part leading bytes: 20 (expected: min(16, 20))");
        assertThatThrownBy(() -> new Part("f", null, null, 6, 5, 5, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("part start: 6 (expected: 0 <= start <= valueStart 5)");
        assertThatThrownBy(() -> new Part(null, null, null, 0, 0, 0, new byte[0]))
                .isInstanceOf(NullPointerException.class);
    }
}
