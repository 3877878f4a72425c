package dev.antler.redis;

import dev.antler.billing.Hold;
import dev.antler.billing.StoredHolds.Balance;
import dev.antler.billing.Usd;
import dev.antler.core.GatewayException;
import dev.antler.redis.RedisHolds.Unavailable;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;

/**
 * Takes one hold against the user's mirrored balance less every instance's holds ({@code holds-admit.lua}). A
 * mirror Redis lacks (or of an older generation) is read from the store, set, and the hold tried again, up to
 * {@link #LOAD_ATTEMPTS} times; a Redis that lost its data is reported to {@code onLost}.
 */
final class MirroredAdmission {

    private static final int LOAD_ATTEMPTS = 3;

    private final HoldScripts scripts;
    private final Clock clock;
    private final Runnable onLost;

    MirroredAdmission(HoldScripts scripts, Clock clock, Runnable onLost) {
        this.scripts = scripts;
        this.clock = clock;
        this.onLost = onLost;
    }

    /**
     * Completes when taken; fails with the 403 when the balance does not cover the hold, or with
     * {@link Unavailable}. A mirror is read with {@code stored} on {@code blocking}.
     */
    CompletableFuture<Void> take(Hold hold, String requestId, Executor blocking, LongFunction<Balance> stored) {
        CompletableFuture<Void> taken = new CompletableFuture<>();
        attempt(hold, requestId, blocking, stored, 1, taken);
        return taken;
    }

    private void attempt(Hold hold, String requestId, Executor blocking, LongFunction<Balance> stored, int attempt,
                         CompletableFuture<Void> taken) {
        scripts.admit(hold.userId(), requestId, hold.userReserved(), clock.millis()).onComplete(done -> {
            if (done.failed()) {
                taken.completeExceptionally(new Unavailable("redis: " + done.cause()));
                return;
            }
            Response answer = done.result();
            switch (answer.get(0).toString()) {
                case "ok" -> taken.complete(null);
                case "short" -> taken.completeExceptionally(refusal(answer.get(1).toLong(), hold));
                case "load" -> {
                    if (attempt == LOAD_ATTEMPTS) {
                        taken.completeExceptionally(new Unavailable("redis: mirror not settled"));
                    } else {
                        load(hold, requestId, blocking, stored, attempt, answer.get(1).toString(), taken);
                    }
                }
                case "lost" -> {
                    onLost.run();
                    taken.completeExceptionally(new Unavailable("redis: lost its data"));
                }
                default -> taken.completeExceptionally(new Unavailable("redis: answer " + answer));
            }
        });
    }

    private void load(Hold hold, String requestId, Executor blocking, LongFunction<Balance> stored, int attempt,
                      String generation, CompletableFuture<Void> taken) {
        CompletableFuture.supplyAsync(() -> stored.apply(hold.userId()), blocking).whenComplete((balance, failure) -> {
            if (failure != null) {
                taken.completeExceptionally(failure instanceof CompletionException c ? c.getCause() : failure);
                return;
            }
            scripts.load(hold.userId(), generation, balance).onComplete(done -> {
                if (done.failed()) {
                    taken.completeExceptionally(new Unavailable("redis: " + done.cause()));
                } else {
                    attempt(hold, requestId, blocking, stored, attempt + 1, taken);
                }
            });
        });
    }

    private static GatewayException refusal(long available, Hold hold) {
        return GatewayException.insufficientBalance("insufficient balance: " + Usd.format(Math.max(0, available))
                + " USD available, this request needs up to " + Usd.format(hold.userReserved())
                + " USD (requests in flight on every gateway instance count)");
    }
}
