package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The family's own headers: names ignore case, and the upstream's start forwards only what a family names. */
class HeadersTest {

    @Test
    void namesMatchIgnoringCaseAndValuesKeepTheirOrder() {
        Headers headers = Headers.of("Accept", "text/plain", "X-Trace", "1", "accept", "application/json");

        assertThat(headers.get("ACCEPT")).isEqualTo("text/plain");
        assertThat(headers.getAll("accept")).containsExactly("text/plain", "application/json");
        assertThat(headers.contains("x-trace")).isTrue();
        assertThat(headers.contains("Authorization")).isFalse();
        assertThat(headers.get("Authorization")).isNull();
        assertThat(headers.getAll("Authorization")).isEmpty();
        List<String> names = new ArrayList<>();
        headers.forEach(header -> names.add(header.getKey()));
        assertThat(names).containsExactly("Accept", "X-Trace", "accept");
    }

    @Test
    void namesComeInPairsWithValues() {
        assertThatThrownBy(() -> Headers.of("Accept")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: pairs");
    }

    @Test
    void setReplacesEveryValueOfTheName() {
        HeaderList headers = new HeaderList().add("X-A", "1").add("x-a", "2").set("X-a", "3");

        assertThat(headers.getAll("x-a")).containsExactly("3");
        assertThat(headers.size()).isEqualTo(1);
    }

    @Test
    void theUpstreamsHeadersForwardOnlyTheNamedClientHeaders() {
        Headers client = Headers.of("Authorization", "Bearer sk-client", "x-api-key", "sk-client",
                "User-Agent", "sdk/1", "Cookie", "a=b");

        HeaderList upstream = UpstreamHeaders.base(client, "application/json", "User-Agent", "Accept");

        assertThat(upstream).extracting(Map.Entry::getKey)
                .containsExactly("Content-Type", "Accept-Encoding", "User-Agent");
        assertThat(upstream.get("accept-encoding")).isEqualTo("identity");
        assertThat(upstream.toString()).doesNotContain("sdk/1"); // names only: values may be keys
    }
}
