package dev.antler.relay;

import dev.antler.billing.Hold;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import io.vertx.core.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Waits, where other instances are live, for a hold taken in memory to be recorded where the instances share holds
 * ({@link dev.antler.billing.BalanceBook#confirm}) before the work it pays for starts: at once on this thread while
 * this instance is alone, else back on the caller's event loop when the store (or Redis) answered.
 */
public final class RecordedHold {

    private RecordedHold() {}

    /**
     * Runs {@code proceed} once {@code hold} is recorded for {@code requestId}; else {@code refused} with the
     * refusal: the 403 of a balance that does not cover it beside every instance's holds, or 503 when it could not
     * be recorded. Either runs on the calling thread's context.
     */
    public static void then(RelayServices services, Hold hold, String requestId, Runnable proceed,
                            Consumer<GatewayException> refused) {
        CompletableFuture<Void> recorded = services.balances().confirm(hold, requestId, services.blocking());
        if (recorded.isDone() && !recorded.isCompletedExceptionally()) { // alone on the store: nothing to wait for
            proceed.run();
            return;
        }
        Context context = services.vertx().getOrCreateContext();
        recorded.whenComplete((ok, failure) -> context.runOnContext(v -> {
            if (failure == null) {
                proceed.run();
            } else {
                refused.accept(refusal(failure instanceof CompletionException ? failure.getCause() : failure));
            }
        }));
    }

    private static GatewayException refusal(Throwable failure) {
        return failure instanceof GatewayException g ? g
                : new GatewayException(503, ErrorKind.SERVER, "store_unavailable", "store: this request's hold could "
                        + "not be recorded; this request was refused and nothing was charged (expected: retry shortly)");
    }
}
