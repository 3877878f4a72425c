package dev.antler.multipart;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartHeadersTest {

    private static PartHeaders parse(String block) {
        byte[] bytes = block.getBytes(UTF_8);
        return PartHeaders.parse(bytes, bytes.length);
    }

    @Test
    void readsATextField() {
        assertThat(parse("Content-Disposition: form-data; name=\"model\"\r\n\r\n"))
                .isEqualTo(new PartHeaders("model", null, null));
    }

    @Test
    void readsAFilePart() {
        assertThat(parse("content-disposition:form-data;name=image;filename=\"cat.png\"\r\n"
                + "CONTENT-TYPE:  image/png \r\nContent-Transfer-Encoding: binary\r\n\r\n"))
                .isEqualTo(new PartHeaders("image", "cat.png", "image/png"));
    }

    @Test
    void readsRawUtf8AndEscapedQuotesInFilenames() {
        assertThat(parse("Content-Disposition: form-data; name=\"f\"; filename=\"été \\\"1\\\".png\"\r\n\r\n")
                .filename()).isEqualTo("été \"1\".png");
    }

    @Test
    void keepsBackslashesOfWindowsPaths() {
        assertThat(parse("Content-Disposition: form-data; name=\"f\"; filename=\"C:\\photos\\a.png\"\r\n\r\n")
                .filename()).isEqualTo("C:\\photos\\a.png");
    }

    @Test
    void prefersTheExtendedFilename() {
        assertThat(parse("Content-Disposition: form-data; name=\"f\"; filename=\"EUR rates.csv\";"
                + " filename*=utf-8'en'%E2%82%AC%20rates.csv\r\n\r\n").filename()).isEqualTo("€ rates.csv");
    }

    @Test
    void keepsAnUndecodableExtendedFilenameAsIs() {
        assertThat(parse("Content-Disposition: form-data; name=\"f\"; filename*=koi8-r''%C1\r\n\r\n").filename())
                .isEqualTo("koi8-r''%C1");
    }

    @Test
    void treatsAnEmptyContentTypeAsAbsent() {
        assertThat(parse("Content-Disposition: form-data; name=\"a\"\r\nContent-Type:\r\n\r\n").contentType())
                .isNull();
    }

    @Test
    void allowsAnEmptyName() {
        assertThat(parse("Content-Disposition: form-data; name=\"\"\r\n\r\n").name()).isEmpty();
    }

    @Test
    void refusesAPartWithoutHeaders() {
        assertThatThrownBy(() -> parse("\r\n"))
                .isInstanceOf(MultipartException.class)
                .hasMessage("multipart part header Content-Disposition: missing (expected: form-data; name=\"...\")");
    }

    @Test
    void refusesABareCrInsideALine() {
        assertThatThrownBy(() -> parse("Content-Disposition: form-data;\r name=\"a\"\r\n\r\n"))
                .isInstanceOf(MultipartException.class)
                .hasMessage("multipart part header line: \"Content-Disposition: form-data;\\r name=\\\"a\\\"\""
                        + " (expected: Name: value, without line folding)");
    }

    @Test
    void refusesARepeatedContentType() {
        assertThatThrownBy(() -> parse("Content-Disposition: form-data; name=\"a\"\r\n"
                + "Content-Type: text/plain\r\ncontent-type: image/png\r\n\r\n"))
                .isInstanceOf(MultipartException.class)
                .hasMessage("multipart part header Content-Type: repeated (expected: at most one per part)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "UTF-8''a%20b.png | a b.png",
            "utf-8'de'%C3%A4 | ä",
            "ISO-8859-1''%E4 | ä",
            "UTF-8''%e2%82%ac | €",
            "UTF-8''plain.txt | plain.txt",
            "UTF-8''bad%2 | null",
            "UTF-8''bad%zz | null",
            "UTF-8''sp ace | null",
            "UTF-8'a.png | null",
            "a.png | null",
            "shift_jis''a | null"})
    void decodesExtendedValues(String value, String decoded) {
        assertThat(PartHeaders.decodeExtValue(value)).isEqualTo(decoded);
    }
}
