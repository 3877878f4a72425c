package dev.antler.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApiKeysTest {

    static IntStream lengths() {
        return IntStream.rangeClosed(0, 64);
    }

    /** A key of {@code length} distinct-looking characters, so any shown character can be told apart. */
    private static String key(int length) {
        String alphabet = "sk-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!";
        return alphabet.substring(0, length);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void aHintShowsAtMostFourCharactersAndAtMostAQuarterOfTheKey(int length) {
        String key = key(length);
        String hint = ApiKeys.hint(key);
        String shown = hint.replace("…", "");

        assertThat(hint).startsWith("…");
        assertThat(shown.length()).as("characters shown of a %d-character key", length)
                .isLessThanOrEqualTo(4).isLessThanOrEqualTo(length / 4);
        assertThat(key).endsWith(shown);
        assertThat(shown.length()).as("as many as the budget allows").isEqualTo(Math.min(4, length / 4));
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void aHintNeverContainsARunOfTheKeyLongerThanFour(int length) {
        String key = key(length);
        String hint = ApiKeys.hint(key);
        for (int start = 0; start + 5 <= length; start++) {
            assertThat(hint).doesNotContain(key.substring(start, start + 5));
        }
    }

    @Test
    void examples() {
        assertThat(ApiKeys.hint("mjsecret-0123")).isEqualTo("…123");
        assertThat(ApiKeys.hint("sk-alice-0123456789abcdef")).isEqualTo("…cdef");
        assertThat(ApiKeys.hint("abc")).isEqualTo("…");
        assertThat(ApiKeys.hint("")).isEqualTo("…");
    }
}
