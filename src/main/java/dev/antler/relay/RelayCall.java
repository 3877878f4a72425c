package dev.antler.relay;

import dev.antler.accounts.Principal;
import dev.antler.billing.CostCalculator;
import dev.antler.billing.Hold;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import dev.antler.limits.Admission;
import dev.antler.metrics.RelayMetrics;
import dev.antler.metrics.RelayOverhead;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import dev.antler.tasks.IdempotencyClaim;
import dev.antler.tasks.SubmitOpener;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskSubmit;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed request after its hold: tries the planned channels in order — skipping those whose
 * circuit breaker is open or that asked to wait (Retry-After), at most {@code maxAttempts}, none twice —
 * while nothing has reached the client and the upstream cannot have done the work (see
 * {@link UpstreamFailures#fromTransport} for timeouts before the head); relays the answer through a
 * {@link ResponseRelay} under an {@link AttemptWatchdog}; reports each attempt to the channel's health
 * and to the {@link AttemptLog}; and settles exactly once — the hold replaced by the real charge
 * ({@link StreamBilling}), a usage row and a ledger row queued for the writer.
 */
final class RelayCall<D> {

    private static final Logger log = LoggerFactory.getLogger(RelayCall.class);

    private final RelayServices services;
    private final Exchange exchange;
    private final Operation<D> operation;
    private final Principal principal;
    private final ClientRequest client;
    private final Intent<D> intent;
    private final Price price;
    private final Hold hold;
    private final List<Channel> plan;
    private final AttemptLog attempts = new AttemptLog();
    /** The index in {@code plan} of the next channel to consider. */
    private int next;
    /** Channels passed over because their breaker is open or they are cooling down. */
    private int skipped;
    /** The soonest a skipped channel may be tried again, in ms from now when it was skipped. */
    private long soonestRetryMs = Long.MAX_VALUE;
    private AttemptWatchdog watchdog;
    private long attemptStartMs;
    /** An attempt was started and has no answer or failure yet. */
    private boolean attemptPending;
    private Channel channel;
    private Long firstByteMs;
    private boolean settled;
    private UpstreamExchange inFlight;
    private ResponseRelay relaying;
    private Admission admission;
    /** The operation's own answer, given instead of calling an upstream; null for a relayed call. */
    private byte[] localAnswer;
    /** A task submit's hold on its Idempotency-Key, or null. */
    private IdempotencyClaim claim;

    RelayCall(RelayServices services, Exchange exchange, Operation<D> operation, Principal principal,
              ClientRequest client, Intent<D> intent, Price price, Hold hold, List<Channel> plan) {
        this.services = services;
        this.exchange = exchange;
        this.operation = operation;
        this.principal = principal;
        this.client = client;
        this.intent = intent;
        this.price = price;
        this.hold = hold;
        this.plan = plan;
        services.metrics().started(intent.stream());
    }

    /** The limits' admission, closed when this call settles. */
    RelayCall<D> admitted(Admission admission) {
        this.admission = admission;
        return this;
    }

    /** A task submit's claimed {@code Idempotency-Key} (or null): released when the call ends without an answer. */
    RelayCall<D> claimed(IdempotencyClaim claim) {
        this.claim = claim;
        return this;
    }

    /** {@code answer} (when not null) is given instead of calling an upstream, logged and not charged. */
    RelayCall<D> answeredLocally(byte[] answer) {
        this.localAnswer = answer;
        return this;
    }

    void start() {
        RecordedHold.then(services, hold, exchange.requestId(), this::proceed, this::refuse);
    }

    /**
     * The hold was not admitted by the store the instances share (the money is held by requests on other
     * instances, or the store failed): the call ends before any attempt, charged nothing, with that answer.
     */
    private void refuse(GatewayException refusal) {
        settleFailure(refusal.status(), EndReason.ERROR, refusal.getMessage());
        exchange.fail(refusal);
    }

    private void proceed() {
        if (localAnswer != null) {
            exchange.json(200, Buffers.wrap(localAnswer));
            settle(200, EndReason.COMPLETE, new ResponseTap.Metered(Usage.NONE, "none"), null);
            return;
        }
        exchange.response().closeHandler(v -> onClientGone());
        nextAttempt(null);
    }

    /** The next planned channel its breaker admits, while attempts remain; null when there is none. */
    private Channel nextChannel() {
        while (attempts.size() < services.maxAttempts() && next < plan.size()) {
            Channel candidate = plan.get(next++);
            if (health().tryAcquire(candidate)) {
                return candidate;
            }
            skipped++;
            soonestRetryMs = Math.min(soonestRetryMs, health().waitMillis(candidate));
        }
        return null;
    }

    /** The gateway route of this call, e.g. {@code POST /v1/messages}, as a disabling reason names it. */
    private String route() {
        return exchange.request().method().name() + " " + exchange.request().path();
    }

    private boolean mayTryAnother() {
        return attempts.size() < services.maxAttempts() && next < plan.size() && !exchange.response().closed();
    }

    private void nextAttempt(GatewayException lastFailure) {
        Channel candidate = exchange.response().closed() ? null : nextChannel();
        if (candidate == null) {
            GatewayException failure = lastFailure != null ? lastFailure
                    : skipped > 0 ? UpstreamFailures.allUnhealthy() : UpstreamFailures.unreachable();
            if (lastFailure == null && skipped > 0 && soonestRetryMs != Long.MAX_VALUE) {
                exchange.response().putHeader("Retry-After", Long.toString(Math.max(1, (soonestRetryMs + 999) / 1000)));
            }
            settleFailure(failure.status(), EndReason.ERROR, failure.getMessage());
            exchange.fail(failure);
            return;
        }
        channel = candidate;
        int attempt = attempts.size();
        long attemptStart = exchange.elapsedMillis();
        attemptStartMs = attemptStart;
        attemptPending = true;
        UpstreamRequest upstream = operation.upstreamRequest(intent, channel, client);
        inFlight = null;
        startWatchdog(channel);
        Channel tried = channel;
        try {
            inFlight = services.relayClient().exchange(upstream, channel.timeouts().connect());
        } catch (IllegalArgumentException e) {
            onTransportFailure(tried, e, attemptStart);
            return;
        }
        if (attempt == 0 && operation.bodyKind() != Operation.BodyKind.MULTIPART) {
            RelayOverhead.REQUEST.recordNanos(System.nanoTime() - exchange.startNanos());
        }
        inFlight.answer().onComplete(result -> {
            if (settled) {
                // The client left (or the call ended otherwise) while this attempt was pending.
                health().onAbandoned(tried);
                return;
            }
            if (result.failed()) {
                onTransportFailure(tried, result.cause(), attemptStart);
            } else {
                onResponseHead(result.result(), attemptStart);
            }
        });
    }

    private void onTransportFailure(Channel tried, Throwable cause, long attemptStart) {
        attemptPending = false;
        cancelWatchdog();
        boolean wentOut = inFlight != null && inFlight.wentOut();
        GatewayException failure = UpstreamFailures.fromTransport(cause, wentOut);
        log.debug("attempt {} on {} failed: {}", attempts.size() + 1, tried.name(), failure.getMessage());
        attempts.add(tried, 0, failure.getMessage(), exchange.elapsedMillis() - attemptStart);
        health().onFailure(tried);
        // A submit that went out (a timeout before the answer's head) may have been taken: no second task elsewhere.
        boolean mayHaveSubmitted = operation instanceof TaskSubmit && wentOut;
        if (failure.retry() == GatewayException.Retry.UNPROCESSED && !mayHaveSubmitted) {
            nextAttempt(failure);
        } else {
            settleFailure(failure.status(), EndReason.ERROR, failure.getMessage());
            exchange.fail(failure);
        }
    }

    private void onResponseHead(UpstreamExchange response, long attemptStart) {
        firstByteMs = exchange.elapsedMillis();
        attemptPending = false;
        int status = response.status();
        Channel answered = channel;
        if (operation instanceof TaskSubmit<D> submit) {
            onSubmitAnswer(submit, response, answered, attemptStart);
            return;
        }
        if (status < 400) {
            health().onSuccess(answered);
            // The watchdog stays on: the answer is bound by the total and idle timeouts too.
            attempts.add(answered, status, null, exchange.elapsedMillis() - attemptStart);
            relaying = new ResponseRelay(exchange, response, operation.newTap(intent, answered, principal.user().id()),
                    this::settleRelayed);
            relaying.start();
            return;
        }
        // The watchdog stays on while the error's body is read: the upstream may stall in it too.
        response.body().onComplete(read -> {
            cancelWatchdog();
            if (settled) {
                health().onAbandoned(answered);
                return;
            }
            Buffer body = read.succeeded() ? read.result() : null;
            UpstreamFailures.Answer answer = UpstreamFailures.answer(status, body, exchange.errors(),
                    exchange.requestId());
            attempts.add(answered, status, answer.logMessage(), exchange.elapsedMillis() - attemptStart);
            ChannelVerdict.onErrorAnswer(health(), answered, route(), operation.auxiliary(), status,
                    response.header("Retry-After"), body, services.clock().millis());
            if (UpstreamFailures.isRetryable(status) && mayTryAnother()) {
                nextAttempt(UpstreamFailures.fromStatus(status, null));
                return;
            }
            settleFailure(answer.status(), EndReason.ERROR, answer.logMessage());
            if (!exchange.response().headWritten() && !exchange.response().closed()) {
                exchange.response().setStatusCode(answer.status())
                        .putHeader("Content-Type", "application/json")
                        .end(answer.body());
            }
        });
    }

    private void startWatchdog(Channel c) {
        cancelWatchdog();
        watchdog = new AttemptWatchdog(services.vertx(), c.timeouts(), () -> settled, () -> relaying, () -> inFlight);
    }

    private void cancelWatchdog() {
        if (watchdog != null) {
            watchdog.cancel();
            watchdog = null;
        }
    }

    private ChannelHealth health() {
        return services.channels().health();
    }

    /**
     * The client went away: stop the upstream call and bill what was delivered. A task submit goes on: the
     * upstream may already have taken the work, and the task (charged as asked) is the client's to find again,
     * by repeating the request with its {@code Idempotency-Key}.
     */
    private void onClientGone() {
        if (settled || operation instanceof TaskSubmit) {
            return;
        }
        if (relaying != null) {
            relaying.clientGone();
            return;
        }
        if (attemptPending) {
            attemptPending = false;
            attempts.add(channel, 0, "client left before the answer", exchange.elapsedMillis() - attemptStartMs);
        }
        // Settle first: resetting the upstream request fails the attempt, which must not log an error.
        settleFailure(499, EndReason.CLIENT_GONE, "client closed the connection before an answer");
        if (inFlight != null) {
            inFlight.reset();
        }
    }

    /** Called once by the response relay when the answer ended, however it ended. */
    private void settleRelayed(ResponseRelay.Outcome outcome) {
        if (settled) {
            return;
        }
        if (outcome.endReason().channelFault()) {
            health().onFailure(channel);
        }
        settle(outcome.status(), outcome.endReason(), StreamBilling.billed(outcome, intent.stream()), outcome.error());
    }

    private void settleFailure(int status, EndReason endReason, String error) {
        settle(status, endReason, new ResponseTap.Metered(Usage.NONE, "none"), error);
    }

    private void settle(int status, EndReason endReason, ResponseTap.Metered metered, String error) {
        long cost = metered.usage().isEmpty() ? 0
                : CostCalculator.cost(price, metered.usage(), principal.group().multiplierPpm());
        settle(status, endReason, metered, cost, error, null);
    }

    /**
     * Settles once: the hold replaced by {@code cost}, the limits told, and the usage row queued with the charge —
     * for an opened {@code task} as the task's own charge (so a refund can find it), else as a plain charge.
     */
    private void settle(int status, EndReason endReason, ResponseTap.Metered metered, long cost, String error,
                        Task task) {
        if (settled) {
            return;
        }
        settled = true;
        cancelWatchdog();
        services.balances().settle(hold, cost);
        if (admission != null) {
            admission.settle(cost, metered.usage());
        }
        UsageRecord usage = new UsageRecord(exchange.requestId(), services.clock().millis(),
                principal.user().id(), principal.key().id(), endpoint(), intent.model(),
                channel == null ? null : channel.upstreamModel(intent.model()),
                channel == null ? null : channel.id(), status, intent.stream(), metered.usage(), cost,
                exchange.elapsedMillis(), firstByteMs, endReason.logName(), metered.basis(), attempts.size(),
                KeyMasker.mask(error), attempts.json());
        services.metrics().settled(intent.stream(), channel == null ? RelayMetrics.NONE : channel.type(),
                operation.name(), intent.model(), channel == null ? RelayMetrics.NONE : channel.name(), status,
                metered.usage(), cost, usage.latencyMs(), firstByteMs);
        if (task != null) {
            services.tasks().engine().charge(task, usage);
        } else {
            services.ledger().settle(usage);
        }
        if (claim != null) {
            claim.releaseUnlessCompleted(services.blocking());
        }
        client.body().discard();
    }

    private String endpoint() {
        return operation instanceof TaskSubmit<D> submit ? submit.endpoint(intent) : operation.name();
    }

    /** A task submit's answer: read whole, then by the family off the event loop ({@link SubmitAnswer}). */
    private void onSubmitAnswer(TaskSubmit<D> submit, UpstreamExchange response, Channel answered,
                                long attemptStart) {
        int status = response.status();
        SubmitAnswer.body(response).onComplete(read -> {
            cancelWatchdog();
            if (settled) {
                health().onAbandoned(answered);
                return;
            }
            if (read.failed()) {
                // The head came, the answer did not: the upstream may have taken the work, so no other channel.
                GatewayException cut = read.cause() instanceof GatewayException g ? g
                        : UpstreamFailures.fromTransport(read.cause(), true);
                attempts.add(answered, status, cut.getMessage(), exchange.elapsedMillis() - attemptStart);
                health().onFailure(answered);
                EndReason ended = cut.code().equals("upstream_timeout") ? EndReason.TIMEOUT : EndReason.UPSTREAM_CUT;
                settleFailure(cut.status(), ended, cut.getMessage());
                exchange.fail(cut);
                return;
            }
            byte[] body = read.result();
            if (status < 400) {
                health().onSuccess(answered);
            } else {
                ChannelVerdict.onErrorAnswer(health(), answered, route(), operation.auxiliary(), status,
                        response.header("Retry-After"), Buffers.wrap(body), services.clock().millis());
            }
            SubmitAnswer.settleOff(services.blocking(),
                    new SubmitAnswer.Call<>(submit, intent, principal, price, claim, exchange.requestId()), answered,
                    services.tasks().opener(), status, body,
                    result -> onSubmitResult(result, answered, status, attemptStart));
        });
    }

    private void onSubmitResult(SubmitAnswer.Result result, Channel answered, int status, long attemptStart) {
        long took = exchange.elapsedMillis() - attemptStart;
        switch (result.reply()) {
            case SubmitReply.Failed failed -> {
                attempts.add(answered, status, failed.error().getMessage(), took);
                if (failed.tryElsewhere() && mayTryAnother()) {
                    nextAttempt(failed.error());
                    return;
                }
                settleFailure(failed.error().status(), EndReason.ERROR, failed.error().getMessage());
                exchange.fail(failed.error());
            }
            case SubmitReply.Refused refused -> {
                attempts.add(answered, status, refused.why(), took);
                settleFailure(refused.status(), EndReason.ERROR, refused.why());
                answer(refused.status(), refused.answer());
            }
            case SubmitReply.Answered answered1 -> {
                attempts.add(answered, status, null, took);
                settle(200, EndReason.COMPLETE, ResponseTap.Metered.fromRequest(result.cost().usage()),
                        result.cost().costNanos(), null, null);
                answer(200, answered1.answer());
            }
            case SubmitReply.Accepted accepted -> {
                attempts.add(answered, status, null, took);
                SubmitOpener.Opened opened = result.opened();
                if (opened.isNew()) {
                    settle(200, EndReason.COMPLETE, ResponseTap.Metered.fromRequest(result.cost().usage()),
                            result.cost().costNanos(), null, opened.task());
                } else {
                    settle(200, EndReason.COMPLETE, new ResponseTap.Metered(Usage.NONE, "none"), 0, null, null);
                }
                deliver((TaskSubmit<D>) operation, opened);
            }
        }
    }

    /** The open task's answer, at once or when the submit says (on this call's context either way). */
    private void deliver(TaskSubmit<D> submit, SubmitOpener.Opened opened) {
        Future.fromCompletionStage(submit.deliver(intent, opened.task(), opened.answer()),
                        services.vertx().getOrCreateContext())
                .onSuccess(delivery -> {
                    switch (delivery) {
                        case TaskSubmit.Delivery.Answer a -> answer(200, a.body());
                        case TaskSubmit.Delivery.Failure f -> exchange.fail(f.error());
                    }
                })
                .onFailure(exchange::fail);
    }

    private void answer(int status, byte[] body) {
        if (!exchange.response().headWritten() && !exchange.response().closed()) {
            exchange.json(status, Buffers.wrap(body));
        }
    }
}
