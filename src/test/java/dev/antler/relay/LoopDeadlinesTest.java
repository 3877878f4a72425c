package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event loop's timing wheel on a real event loop, with 8 slots (a turn of 160 ms), so most deadlines lie beyond
 * one turn of the wheel: each entry is told once, never before its deadline, and a removed entry never.
 */
class LoopDeadlinesTest {

    private static final long MS = 1_000_000;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /** An entry that records when it was told, and by which thread. */
    private static final class Recorded extends LoopDeadlines.Entry {
        final int id;
        final long at;
        final Map<Integer, List<Long>> told;

        Recorded(int id, long at, Map<Integer, List<Long>> told) {
            this.id = id;
            this.at = at;
            this.told = told;
        }

        @Override
        void due(long now) {
            told.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>())).add(System.nanoTime());
        }
    }

    @Test
    void everyEntryIsToldOnceAndNeverBeforeItsDeadline() throws Exception {
        Map<Integer, List<Long>> told = new ConcurrentHashMap<>();
        List<Recorded> entries = new ArrayList<>();
        onLoop(deadlines -> {
            Random random = new Random(7);
            long now = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                Recorded entry = new Recorded(i, now + random.nextInt(600) * MS, told);
                entries.add(entry);
                deadlines.schedule(entry, entry.at);
            }
        });
        waitFor(() -> told.size() == 300, 5000);
        Thread.sleep(300); // a second telling would show now
        for (Recorded entry : entries) {
            assertThat(told.get(entry.id)).as("entry %d", entry.id).hasSize(1);
            assertThat(told.get(entry.id).get(0)).as("entry %d told at or after its deadline", entry.id)
                    .isGreaterThanOrEqualTo(entry.at);
        }
    }

    @Test
    void removedEntriesAreNeverToldAndTheOthersStillAre() throws Exception {
        Map<Integer, List<Long>> told = new ConcurrentHashMap<>();
        List<Integer> kept = new ArrayList<>();
        onLoop(deadlines -> {
            long now = System.nanoTime();
            List<Recorded> entries = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // Many share a slot, so removals move other entries within it.
                Recorded entry = new Recorded(i, now + (200 + (i % 3) * 20) * MS, told);
                entries.add(entry);
                deadlines.schedule(entry, entry.at);
            }
            Collections.shuffle(entries, new Random(11));
            for (int i = 0; i < entries.size(); i++) {
                if (i % 2 == 0) {
                    deadlines.remove(entries.get(i));
                    deadlines.remove(entries.get(i)); // twice: nothing
                } else {
                    kept.add(entries.get(i).id);
                }
            }
        });
        waitFor(() -> told.size() >= kept.size(), 5000);
        Thread.sleep(300);
        assertThat(told.keySet()).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(told.values()).allSatisfy(times -> assertThat(times).hasSize(1));
    }

    @Test
    void schedulingAgainMovesTheDeadline() throws Exception {
        Map<Integer, List<Long>> told = new ConcurrentHashMap<>();
        long[] later = new long[1];
        onLoop(deadlines -> {
            long now = System.nanoTime();
            Recorded entry = new Recorded(1, now + 40 * MS, told);
            deadlines.schedule(entry, entry.at);
            later[0] = now + 400 * MS;
            deadlines.schedule(entry, later[0]);
        });
        waitFor(() -> told.containsKey(1), 5000);
        Thread.sleep(200);
        assertThat(told.get(1)).hasSize(1);
        assertThat(told.get(1).get(0)).isGreaterThanOrEqualTo(later[0]);
    }

    @Test
    void onlyAnEventLoopKeepsDeadlines() {
        assertThatThrownBy(() -> LoopDeadlines.ofThisThread(vertx)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("event loop");
    }

    /** Runs {@code work} on an event loop with a wheel of 8 slots made there. */
    private static void onLoop(Consumer<LoopDeadlines> work) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            try {
                work.accept(new LoopDeadlines(vertx, 8));
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(5, TimeUnit.SECONDS);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long ms) throws InterruptedException {
        long end = System.nanoTime() + ms * MS;
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("reached within %d ms", ms).isTrue();
    }
}
