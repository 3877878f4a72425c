package dev.antler.tokens;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs work that counts tokens off the event loop: the first count loads the encoding (a second or two), and
 * counting a long text takes milliseconds, either of which on an event loop stalls every connection it serves.
 *
 * <p>The work runs on a few threads of its own, started when first needed: counting is CPU work, and on the
 * shared virtual-thread executor of store calls, threads waiting for the encoding to load would pin their
 * carriers and hold up the store work.
 */
public final class TokenCounting {

    private static final ExecutorService THREADS = threads(Math.max(2, Runtime.getRuntime().availableProcessors()));

    private TokenCounting() {}

    /**
     * The result of {@code count}, run on a counting thread and completed on the caller's context; run in place
     * when the caller is not on an event loop (a worker, a task submit's thread).
     */
    public static <T> Future<T> offEventLoop(Supplier<T> count) {
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            try {
                return Future.succeededFuture(count.get());
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        }
        return Future.fromCompletionStage(CompletableFuture.supplyAsync(count, THREADS), context);
    }

    private static ExecutorService threads(int size) {
        AtomicInteger started = new AtomicInteger();
        ThreadFactory factory = work -> {
            Thread thread = new Thread(work, "antler-tokens-" + started.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor executor = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
