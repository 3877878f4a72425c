package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final long NOW = 1_445_412_480_000L; // Wed, 21 Oct 2015 07:28:00 GMT

    @Test
    void readsDelaySeconds() {
        assertThat(RetryAfter.delayMillis("120", NOW)).hasValue(120_000);
        assertThat(RetryAfter.delayMillis(" 0 ", NOW)).hasValue(0);
    }

    @Test
    void readsAnHttpDate() {
        assertThat(RetryAfter.delayMillis("Wed, 21 Oct 2015 07:28:30 GMT", NOW)).hasValue(30_000);
        assertThat(RetryAfter.delayMillis("Wed, 21 Oct 2015 07:27:00 GMT", NOW)).hasValue(0);
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertThat(RetryAfter.delayMillis(null, NOW)).isEmpty();
        assertThat(RetryAfter.delayMillis("", NOW)).isEmpty();
        assertThat(RetryAfter.delayMillis("-5", NOW)).isEmpty();
        assertThat(RetryAfter.delayMillis("soon", NOW)).isEmpty();
        assertThat(RetryAfter.delayMillis("99999999999999999999", NOW)).isEmpty();
    }
}
