package dev.antler.relay;

import dev.antler.accounts.Principal;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import dev.antler.http.Exchange;
import dev.antler.tasks.IdempotencyClaim;
import dev.antler.tasks.IdempotencyKeys;
import dev.antler.tasks.TaskSubmit;
import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;

/**
 * The front of a task submit, after its body is read: inspected on the event loop; then, off it (these touch the
 * store), its {@code Idempotency-Key} claimed — a repeat of an answered submit gets the same answer and is not
 * charged again —, what it refers to resolved among the caller's own tasks, and the request admitted (limits,
 * hold) like any other; then the call starts on the request's event loop.
 */
final class SubmitStart {

    private final Relay relay;
    private final RelayServices services;

    SubmitStart(Relay relay) {
        this.relay = relay;
        this.services = relay.services();
    }

    <D> void begin(Exchange exchange, TaskSubmit<D> submit, Principal principal, ClientRequest client) {
        Intent<D> read;
        IdempotencyClaim claim;
        try {
            read = submit.inspect(client);
            claim = IdempotencyClaim.of(services.tasks().idempotency(), principal.user().id(),
                    client.headers().get("Idempotency-Key"), client.method(), client.path(), client.body());
        } catch (RuntimeException e) {
            client.body().discard();
            exchange.fail(e);
            return;
        }
        Context context = services.vertx().getOrCreateContext();
        services.blocking().execute(() -> {
            try {
                IdempotencyKeys.Replay replay = claim == null ? null : claim.claim();
                if (replay != null) {
                    client.body().discard();
                    context.runOnContext(v -> replay(exchange, submit, principal, read, replay));
                    return;
                }
                Intent<D> resolved = submit.resolve(read, services.tasks().opener().own(principal, submit.family(read)));
                String hook = submit.webhook(resolved);
                if (hook != null) {
                    services.tasks().webhookRefusal(hook).ifPresent(expected -> {
                        throw submit.webhookRefused(hook, expected);
                    });
                }
                relay.admit(exchange, submit, principal, client, resolved).onComplete(admitted -> {
                    if (admitted.succeeded()) {
                        RelayCall<D> call = admitted.result().claimed(claim);
                        context.runOnContext(v -> call.start());
                    } else { // refused by the shared limits: the claim is released off the event loop
                        services.blocking().execute(() -> refused(exchange, context, claim, client,
                                admitted.cause()));
                    }
                });
            } catch (RuntimeException e) {
                refused(exchange, context, claim, client, e);
            }
        });
    }

    private static void refused(Exchange exchange, Context context, IdempotencyClaim claim, ClientRequest client,
                                Throwable failure) {
        if (claim != null) {
            claim.releaseUnlessCompleted(Runnable::run);
        }
        client.body().discard();
        context.runOnContext(v -> exchange.fail(failure));
    }

    /** The first answer to this key, given again: logged, not charged. */
    private <D> void replay(Exchange exchange, TaskSubmit<D> submit, Principal principal, Intent<D> read,
                            IdempotencyKeys.Replay replay) {
        services.ledger().settle(new UsageRecord(exchange.requestId(), services.clock().millis(),
                principal.user().id(), principal.key().id(), submit.endpoint(read), read.model(), null, null,
                replay.status(), false, Usage.NONE, 0, exchange.elapsedMillis(), null, EndReason.COMPLETE.logName(),
                "none", 0, "idempotent replay"));
        exchange.response().putHeader("Idempotent-Replayed", "true");
        exchange.json(replay.status(), Buffers.wrap(replay.answer().getBytes(StandardCharsets.UTF_8)));
    }
}
