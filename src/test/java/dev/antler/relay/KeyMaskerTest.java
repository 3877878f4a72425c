package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyMaskerTest {

    @Test
    void masksKeysInUpstreamErrors() {
        String openAi = "Incorrect API key provided: sk-proj-abc123XYZ456. You can find your API key at ...";
        assertThat(KeyMasker.mask(openAi)).doesNotContain("abc123XYZ456").contains("sk-***");
        assertThat(KeyMasker.mask("Authorization: Bearer abcdefghijklmnop"))
                .isEqualTo("Authorization: Bearer ***");
        assertThat(KeyMasker.mask("no secrets here, sk- alone")).isEqualTo("no secrets here, sk- alone");
        assertThat(KeyMasker.mask(null)).isNull();
    }
}
