package dev.antler.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenCountingTest {

    /** Where the work ran, and where its result was handed on. */
    private record Threads(String counted, boolean countedOnLoop, String handedOn, boolean sameContext) {}

    @Test
    void fromAnEventLoopTheCountRunsOnACountingThreadAndCompletesBackOnTheCallersContext() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<Threads> seen = new CompletableFuture<>();
            Context caller = vertx.getOrCreateContext();
            caller.runOnContext(v -> {
                String[] counted = new String[1];
                boolean[] onLoop = new boolean[1];
                TokenCounting.offEventLoop(() -> {
                    counted[0] = Thread.currentThread().getName();
                    onLoop[0] = Context.isOnEventLoopThread();
                    return TokenEstimator.count("counted off the loop");
                }).onComplete(done -> seen.complete(new Threads(counted[0], onLoop[0],
                        Thread.currentThread().getName(), Vertx.currentContext() == caller)));
            });

            Threads threads = seen.get(30, TimeUnit.SECONDS);
            assertThat(threads.counted()).startsWith("antler-tokens-");
            assertThat(threads.countedOnLoop()).isFalse();
            assertThat(threads.handedOn()).startsWith("vert.x-eventloop-thread-");
            assertThat(threads.sameContext()).isTrue();
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void offAnEventLoopTheCountRunsInPlace() {
        String caller = Thread.currentThread().getName();
        String[] counted = new String[1];

        long tokens = TokenCounting.offEventLoop(() -> {
            counted[0] = Thread.currentThread().getName();
            return TokenEstimator.count("counted in place");
        }).await();

        assertThat(counted[0]).isEqualTo(caller);
        assertThat(tokens).isEqualTo(TokenEstimator.count("counted in place"));
    }
}
