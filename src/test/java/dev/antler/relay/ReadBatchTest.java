package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadBatchTest {

    private final List<String> writes = new ArrayList<>();
    private final ReadBatch batch = new ReadBatch(bytes -> writes.add(bytes.toString()));

    @Test
    void theBytesOfOneReadGoOutInOneWriteWhenItIsFlushed() {
        Buffer first = Buffer.buffer("data: a\n\n");
        batch.add(first);
        batch.add(Buffer.buffer("data: b\n\n"));
        batch.add(Buffer.buffer("data: c\n\n"));
        assertThat(writes).isEmpty();
        batch.flush();
        assertThat(writes).containsExactly("data: a\n\ndata: b\n\ndata: c\n\n");
        assertThat(first.toString()).as("the first buffer is copied, not appended to").isEqualTo("data: a\n\n");
    }

    @Test
    void eachReadHasItsOwnWriteAndAnEmptyOneNone() {
        batch.add(Buffer.buffer("1"));
        batch.flush();
        batch.flush();
        batch.add(Buffer.buffer("2"));
        batch.add(Buffer.buffer("3"));
        batch.flush();
        assertThat(writes).containsExactly("1", "23");
    }

    @Test
    void takeAndDiscardLeaveNothingToFlush() {
        batch.add(Buffer.buffer("x"));
        batch.add(Buffer.buffer("y"));
        assertThat(batch.take().toString()).isEqualTo("xy");
        assertThat(batch.isEmpty()).isTrue();
        batch.add(Buffer.buffer("z"));
        batch.discard();
        batch.flush();
        assertThat(writes).isEmpty();
    }
}
