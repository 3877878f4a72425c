package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TurnBatchTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void theBytesOfOneTurnGoOutInOneWriteAtItsEnd() throws Exception {
        List<String> writes = new CopyOnWriteArrayList<>();
        Buffer first = Buffer.buffer("data: a\n\n");
        List<String> seenDuringTurn = onContext(context -> {
            TurnBatch batch = new TurnBatch(context, bytes -> writes.add(bytes.toString()));
            batch.add(first);
            batch.add(Buffer.buffer("data: b\n\n"));
            return List.copyOf(writes);
        });
        assertThat(seenDuringTurn).isEmpty();
        assertThat(writes).containsExactly("data: a\n\ndata: b\n\n");
        assertThat(first.toString()).isEqualTo("data: a\n\n");
    }

    @Test
    void aBatchIsWrittenAsSoonAsAnotherStartsCollecting() throws Exception {
        List<String> writes = new CopyOnWriteArrayList<>();
        List<String> seenDuringTurn = onContext(context -> {
            TurnBatch first = new TurnBatch(context, bytes -> writes.add("first:" + bytes));
            TurnBatch second = new TurnBatch(context, bytes -> writes.add("second:" + bytes));
            first.add(Buffer.buffer("1"));
            first.add(Buffer.buffer("2"));
            second.add(Buffer.buffer("3"));
            return List.copyOf(writes);
        });
        assertThat(seenDuringTurn).containsExactly("first:12");
        assertThat(writes).containsExactly("first:12", "second:3");
    }

    @Test
    void eachTurnHasItsOwnWrite() throws Exception {
        List<String> writes = new CopyOnWriteArrayList<>();
        Context context = vertx.getOrCreateContext();
        TurnBatch batch = new TurnBatch(context, bytes -> writes.add(bytes.toString()));
        onContext(context, () -> batch.add(Buffer.buffer("one")));
        onContext(context, () -> batch.add(Buffer.buffer("two")));
        assertThat(writes).containsExactly("one", "two");
    }

    @Test
    void flushWritesAtOnceAndTakeOrDiscardLeaveNothingForTheTurnsEnd() throws Exception {
        List<String> writes = new CopyOnWriteArrayList<>();
        List<String> taken = onContext(context -> {
            TurnBatch batch = new TurnBatch(context, bytes -> writes.add(bytes.toString()));
            batch.add(Buffer.buffer("flushed"));
            batch.flush();
            batch.add(Buffer.buffer("dropped"));
            batch.discard();
            batch.add(Buffer.buffer("taken"));
            return List.of(batch.take().toString(), String.valueOf(batch.take()));
        });
        assertThat(taken).containsExactly("taken", "null");
        assertThat(writes).containsExactly("flushed");
    }

    @Test
    void withoutAContextEveryBufferIsWrittenAtOnce() {
        List<String> writes = new CopyOnWriteArrayList<>();
        TurnBatch batch = new TurnBatch(null, bytes -> writes.add(bytes.toString()));
        batch.add(Buffer.buffer("a"));
        batch.add(Buffer.buffer("b"));
        assertThat(writes).containsExactly("a", "b");
    }

    /** Runs {@code turn} on a fresh event-loop context and returns its result once the turn's tasks ran. */
    private static <T> T onContext(Function<Context, T> turn) throws Exception {
        Context context = vertx.getOrCreateContext();
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> {
            T value = turn.apply(context);
            context.runOnContext(w -> result.complete(value)); // queued after the batch's write
        });
        return result.future().await(5, TimeUnit.SECONDS);
    }

    private static void onContext(Context context, Runnable turn) throws Exception {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            turn.run();
            context.runOnContext(w -> done.complete());
        });
        done.future().await(5, TimeUnit.SECONDS);
    }
}
