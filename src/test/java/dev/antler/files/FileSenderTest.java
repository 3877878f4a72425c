package dev.antler.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileSenderTest {

    @Test
    void readsOneRangeAndGivesTheWholeFileForWhatItDoesNotRead() {
        assertThat(FileSender.span(null, 100)).isEqualTo(new FileSender.Span(0, 99, false));
        assertThat(FileSender.span("bytes=10-19", 100)).isEqualTo(new FileSender.Span(10, 19, true));
        assertThat(FileSender.span("bytes=90-", 100)).isEqualTo(new FileSender.Span(90, 99, true));
        assertThat(FileSender.span("bytes=90-500", 100)).isEqualTo(new FileSender.Span(90, 99, true));
        assertThat(FileSender.span("bytes=-5", 100)).isEqualTo(new FileSender.Span(95, 99, true));
        assertThat(FileSender.span("bytes=-500", 100)).isEqualTo(new FileSender.Span(0, 99, true));
        assertThat(FileSender.span("bytes=100-", 100)).isNull();
        assertThat(FileSender.span("bytes=-0", 100)).isNull();
        assertThat(FileSender.span("bytes=20-10", 100)).isEqualTo(new FileSender.Span(0, 99, false));
        assertThat(FileSender.span("bytes=0-1,5-6", 100)).isEqualTo(new FileSender.Span(0, 99, false));
        assertThat(FileSender.span("items=0-1", 100)).isEqualTo(new FileSender.Span(0, 99, false));
    }
}
