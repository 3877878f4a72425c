package dev.antler.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void hasDefaults() {
        assertThat(Limits.defaults()).isEqualTo(new Limits(65536, 1000, 16384));
    }

    @Test
    void refusesNonPositiveLimits() {
        assertThatThrownBy(() -> new Limits(0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTextFieldBytes: 0 (expected: > 0)");
        assertThatThrownBy(() -> new Limits(1, -1, 1))
                .hasMessage("maxParts: -1 (expected: > 0)");
        assertThatThrownBy(() -> new Limits(1, 1, 0))
                .hasMessage("maxHeaderBytes: 0 (expected: > 0)");
    }
}
