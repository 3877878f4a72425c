package dev.antler.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MultipartExceptionTest {

    @Test
    void formatsNameValueAndExpectation() {
        assertThat(new MultipartException("multipart part count", 1001, "<= 1000"))
                .hasMessage("multipart part count: 1001 (expected: <= 1000)");
    }

    @Test
    void quotesClientTextSafely() {
        assertThat(MultipartException.quoted("a\"b\\c\r\n\t\u0000\u007f é"))
                .isEqualTo("\"a\\\"b\\\\c\\r\\n\\t\\u0000\\u007f é\"");
    }

    @Test
    void cutsLongClientText() {
        assertThat(MultipartException.quoted("x".repeat(81))).isEqualTo("\"" + "x".repeat(80) + "\"...");
        assertThat(MultipartException.quoted("x".repeat(80))).isEqualTo("\"" + "x".repeat(80) + "\"");
    }
}
