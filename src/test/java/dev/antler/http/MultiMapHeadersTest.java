package dev.antler.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.relay.Headers;
import io.vertx.core.MultiMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's Vert.x headers seen through {@link Headers}: a view, read-only, names ignoring case. */
class MultiMapHeadersTest {

    @Test
    void itIsAViewOfTheRequestsHeadersNotACopy() {
        MultiMap vertx = MultiMap.caseInsensitiveMultiMap().add("Accept", "a").add("accept", "b");
        Headers headers = new MultiMapHeaders(vertx);

        vertx.add("User-Agent", "sdk/1");

        assertThat(headers.get("user-agent")).isEqualTo("sdk/1");
        assertThat(headers.getAll("ACCEPT")).containsExactly("a", "b");
        assertThat(headers.contains("accept")).isTrue();
        assertThat(headers).extracting(Map.Entry::getValue).containsExactly("a", "b", "sdk/1");
    }

    @Test
    void itsEntriesDoNotWriteThrough() {
        MultiMap vertx = MultiMap.caseInsensitiveMultiMap().add("Accept", "a");
        Map.Entry<String, String> entry = new MultiMapHeaders(vertx).iterator().next();

        assertThatThrownBy(() -> entry.setValue("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(vertx.get("Accept")).isEqualTo("a");
    }
}
