package dev.antler.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs moves against one another: {@code threads} threads, thread {@code t} making move {@code t % moves.length},
 * all released at once; returns when every one is done, and fails with the first move that failed.
 */
public final class Race {

    /** One move of a race: a poll, a read, a sweep. */
    @FunctionalInterface
    public interface Move {
        void run() throws Exception;
    }

    private Race() {}

    public static void run(int threads, Move... moves) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Move move = moves[t % moves.length];
                runs.add(pool.submit(() -> {
                    go.await();
                    move.run();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
