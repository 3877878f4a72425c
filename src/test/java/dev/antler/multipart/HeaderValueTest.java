package dev.antler.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderValueTest {

    private static HeaderValue parse(String value) {
        return HeaderValue.parse("Test", value);
    }

    @Test
    void lowerCasesTypeAndParameterNames() {
        assertThat(parse(" Form-Data ; NAME=a ;FileName = \"b c\" "))
                .isEqualTo(new HeaderValue("form-data", Map.of("name", "a", "filename", "b c")));
    }

    @Test
    void readsAValueWithoutParameters() {
        assertThat(parse("image/png")).isEqualTo(new HeaderValue("image/png", Map.of()));
    }

    @Test
    void skipsEmptyParameters() {
        assertThat(parse("a;; b=1;")).isEqualTo(new HeaderValue("a", Map.of("b", "1")));
    }

    @Test
    void unescapesQuotedStrings() {
        assertThat(parse("a; b=\"x\\\"y\\\\z;w\"").params()).containsEntry("b", "x\"y\\z;w");
    }

    @Test
    void keepsABackslashBeforeAnOrdinaryCharacter() {
        assertThat(parse("a; b=\"C:\\dir\\f\"").params()).containsEntry("b", "C:\\dir\\f");
    }

    @Test
    void acceptsSeparatorsInUnquotedValues() {
        assertThat(parse("multipart/form-data; boundary=----=_Part_0_1.2").params())
                .containsEntry("boundary", "----=_Part_0_1.2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`; b=1` | a value before any parameter",
            "`a; b` | parameters as name=value",
            "`a; =1` | parameters as name=value",
            "`a; b c=1` | parameters as name=value",
            "`a; b=` | a token or quoted string as parameter value",
            "`a; b=x y` | a token or quoted string as parameter value",
            "`a; b=\"x` | a closing quote",
            "`a; b=\"x\" y` | ';' after a quoted parameter value",
            "`a; b=1; B=2` | parameter b only once"})
    void refusesMalformedValues(String value, String expected) {
        assertThatThrownBy(() -> parse(value))
                .isInstanceOf(MultipartException.class)
                .hasMessage("multipart Test header: " + MultipartException.quoted(value)
                        + " (expected: " + expected + ")");
    }
}
