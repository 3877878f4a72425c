package dev.antler.relay;

import dev.antler.accounts.Principal;
import dev.antler.billing.Price;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.routing.Channel;
import dev.antler.tasks.IdempotencyClaim;
import dev.antler.tasks.SubmitCost;
import dev.antler.tasks.SubmitOpener;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.TaskSubmit;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream's answer to a task submit, taken whole (bounded), then — off the event loop — read by the family
 * and, when it accepted, the task stored with its charge ({@link SubmitCost}) and the client's answer kept for
 * the {@code Idempotency-Key}. The result goes back to the call on its event loop.
 */
final class SubmitAnswer {

    private static final Logger log = LoggerFactory.getLogger(SubmitAnswer.class);
    /** A submit's answer is a small JSON object; anything larger is no answer of the protocol. */
    static final int MAX_BYTES = 1024 * 1024;

    /**
     * What came of the answer.
     *
     * @param reply  the family's reading of it
     * @param cost   for an accepted or answered submit, what it is charged (null otherwise)
     * @param opened for an accepted one, its task and the client's answer (null otherwise)
     */
    record Result(SubmitReply reply, SubmitCost cost, SubmitOpener.Opened opened) {}

    private SubmitAnswer() {}

    /** The whole body of {@code response}, failing past {@link #MAX_BYTES} or when the upstream cuts it. */
    static Future<byte[]> body(UpstreamExchange response) {
        Promise<byte[]> done = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            body.appendBuffer(chunk);
            if (body.length() > MAX_BYTES) {
                response.handler(null);
                done.tryFail(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_error", "upstream: a submit "
                        + "answer of more than " + MAX_BYTES + " bytes (expected: the family's small JSON answer)"));
                response.reset();
            }
        });
        response.exceptionHandler(done::tryFail);
        response.endHandler(v -> done.tryComplete(body.getBytes()));
        return done.future();
    }

    /**
     * The submit whose answer this is: its operation and intent, who sent it, its price, its claimed
     * Idempotency-Key (or null) and the gateway's id of the request.
     */
    record Call<D>(TaskSubmit<D> submit, Intent<D> intent, Principal principal, Price price, IdempotencyClaim claim,
                   String requestId) {}

    /** Runs the family's reading and the task's opening on {@code blocking}; {@code then} runs on this event loop. */
    static <D> void settleOff(Executor blocking, Call<D> call, Channel channel, SubmitOpener opener, int status,
                              byte[] body, Consumer<Result> then) {
        Context context = Vertx.currentContext();
        blocking.execute(() -> {
            Result result;
            try {
                result = read(call, channel, opener, status, body);
            } catch (RuntimeException e) {
                log.error("submit to {} answered {} but its task was not stored: {}", channel.name(), status,
                        e.toString());
                result = new Result(new SubmitReply.Failed(new GatewayException(500, ErrorKind.SERVER, "task_not_stored",
                        "the task could not be stored (expected: the store to accept it; nothing was charged)"),
                        false), null, null);
            }
            Result settled = result;
            context.runOnContext(v -> then.accept(settled));
        });
    }

    /**
     * Keeps the answer for the request's key. The task is stored by now and the upstream has the work, so a
     * failure here must not turn the submit into an error (its task would be charged at the next start, unseen):
     * it is logged, and the key stays claimed, so a repeat is told to wait (409) rather than submitting again.
     */
    private static void keep(IdempotencyClaim claim, byte[] answer, Channel channel) {
        if (claim == null) {
            return;
        }
        try {
            claim.complete(200, answer);
        } catch (RuntimeException e) {
            log.error("submit to {} was answered but its Idempotency-Key answer was not kept: {}", channel.name(),
                    e.toString());
        }
    }

    private static <D> Result read(Call<D> call, Channel channel, SubmitOpener opener, int status, byte[] body) {
        TaskSubmit<D> submit = call.submit();
        Intent<D> intent = call.intent();
        Principal principal = call.principal();
        Price price = call.price();
        IdempotencyClaim claim = call.claim();
        SubmitReply reply = submit.read(intent, channel, status, body);
        long multiplier = principal.group().multiplierPpm();
        return switch (reply) {
            case SubmitReply.Accepted accepted -> {
                SubmitCost cost = submit.cost(intent, price, multiplier, accepted.units());
                SubmitOpener.Opened opened = opener.open(submit, intent, principal, channel, accepted, cost,
                        call.requestId());
                keep(claim, opened.answer(), channel);
                yield new Result(reply, cost, opened);
            }
            case SubmitReply.Answered answered -> {
                SubmitCost cost = submit.cost(intent, price, multiplier, answered.charged() ? null : 0L);
                keep(claim, answered.answer(), channel);
                yield new Result(reply, cost, null);
            }
            case SubmitReply.Refused refused -> new Result(reply, null, null);
            case SubmitReply.Failed failed -> new Result(reply, null, null);
        };
    }
}
