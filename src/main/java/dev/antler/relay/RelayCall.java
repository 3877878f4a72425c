package dev.antler.relay;

import dev.antler.accounts.Principal;
import dev.antler.billing.CostCalculator;
import dev.antler.billing.Hold;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import dev.antler.limits.Admission;
import dev.antler.metrics.RelayOverhead;
import dev.antler.routing.Channel;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed request after its hold: tries the planned channels in order while nothing has reached
 * the client and the upstream cannot have done the work, relays the answer through a
 * {@link ResponseRelay}, and settles exactly once — the hold replaced by the real charge, a usage row
 * and a ledger row queued for the writer.
 */
final class RelayCall {

    private static final Logger log = LoggerFactory.getLogger(RelayCall.class);

    private final RelayServices services;
    private final Exchange exchange;
    private final Operation operation;
    private final Principal principal;
    private final RequestBody body;
    private final Intent intent;
    private final Price price;
    private final Hold hold;
    private final List<Channel> plan;
    private int attempt = -1;
    private Channel channel;
    private Long firstByteMs;
    private boolean settled;
    private HttpClientRequest inFlight;
    private ResponseRelay relaying;
    private Admission admission;

    RelayCall(RelayServices services, Exchange exchange, Operation operation, Principal principal, RequestBody body,
              Intent intent, Price price, Hold hold, List<Channel> plan) {
        this.services = services;
        this.exchange = exchange;
        this.operation = operation;
        this.principal = principal;
        this.body = body;
        this.intent = intent;
        this.price = price;
        this.hold = hold;
        this.plan = plan;
    }

    /** The limits' admission, closed when this call settles. */
    RelayCall admitted(Admission admission) {
        this.admission = admission;
        return this;
    }

    void start() {
        exchange.response().closeHandler(v -> onClientGone());
        nextAttempt(null);
    }

    private void nextAttempt(GatewayException lastFailure) {
        attempt++;
        if (attempt >= plan.size() || exchange.response().closed()) {
            GatewayException failure = lastFailure != null ? lastFailure : UpstreamFailures.unreachable();
            settleFailure(failure.status(), "error", failure.getMessage());
            exchange.fail(failure);
            return;
        }
        channel = plan.get(attempt);
        UpstreamRequest upstream = operation.upstreamRequest(intent, channel, exchange.request());
        RequestOptions options = new RequestOptions()
                .setMethod(upstream.method())
                .setAbsoluteURI(upstream.url())
                .setHeaders(upstream.headers())
                .setConnectTimeout(10_000)
                .setIdleTimeout(300_000);
        inFlight = null;
        services.upstream().request(options)
                .compose(request -> {
                    inFlight = request;
                    Future<HttpClientResponse> response = UpstreamBodies.send(services.vertx(), request, upstream.body());
                    if (attempt == 0 && operation.bodyKind() != Operation.BodyKind.MULTIPART) {
                        RelayOverhead.REQUEST.recordNanos(System.nanoTime() - exchange.startNanos());
                    }
                    return response;
                })
                .onComplete(result -> {
                    if (result.failed()) {
                        GatewayException failure = UpstreamFailures.fromTransport(result.cause(), inFlight != null);
                        log.debug("attempt {} on {} failed: {}", attempt + 1, channel.name(), failure.getMessage());
                        if (failure.retry() == GatewayException.Retry.UNPROCESSED) {
                            nextAttempt(failure);
                        } else {
                            settleFailure(failure.status(), "error", failure.getMessage());
                            exchange.fail(failure);
                        }
                    } else {
                        onResponseHead(result.result());
                    }
                });
    }

    private void onResponseHead(HttpClientResponse response) {
        firstByteMs = exchange.elapsedMillis();
        int status = response.statusCode();
        if (status < 400) {
            relaying = new ResponseRelay(exchange, response, operation.newTap(intent), intent, this::settleRelayed);
            relaying.start();
            return;
        }
        boolean retryable = UpstreamFailures.isRetryable(status) && attempt + 1 < plan.size();
        response.body().onComplete(read -> {
            if (retryable) {
                nextAttempt(UpstreamFailures.fromStatus(status, null));
                return;
            }
            UpstreamFailures.Answer answer = UpstreamFailures.answer(status, read.succeeded() ? read.result() : null,
                    exchange.errors(), exchange.requestId());
            settleFailure(answer.status(), "error", answer.logMessage());
            if (!exchange.response().headWritten() && !exchange.response().closed()) {
                exchange.response().setStatusCode(answer.status())
                        .putHeader("Content-Type", "application/json")
                        .end(answer.body());
            }
        });
    }

    /** The client went away: stop the upstream call and bill what was delivered. */
    private void onClientGone() {
        if (settled) {
            return;
        }
        if (relaying != null) {
            relaying.clientGone();
            return;
        }
        // Settle first: resetting the upstream request fails the attempt, which must not log an error.
        settleFailure(499, "client_gone", "client closed the connection before an answer");
        if (inFlight != null) {
            inFlight.reset();
        }
    }

    /** Called once by the response relay when the answer ended, however it ended. */
    private void settleRelayed(ResponseRelay.Outcome outcome) {
        if (settled) {
            return;
        }
        boolean billable = outcome.bytesDelivered() > 0
                && (intent.stream() || outcome.endReason().equals("complete"));
        ResponseTap.Metered metered = billable ? outcome.metered()
                : new ResponseTap.Metered(Usage.NONE, "none");
        settle(outcome.status(), outcome.endReason(), metered, outcome.error());
    }

    private void settleFailure(int status, String endReason, String error) {
        settle(status, endReason, new ResponseTap.Metered(Usage.NONE, "none"), error);
    }

    private void settle(int status, String endReason, ResponseTap.Metered metered, String error) {
        if (settled) {
            return;
        }
        settled = true;
        long cost = metered.usage().isEmpty() ? 0
                : CostCalculator.cost(price, metered.usage(), principal.group().multiplierPpm());
        services.balances().settle(hold, cost);
        if (admission != null) {
            admission.settle(cost, metered.usage());
        }
        services.ledger().settle(new UsageRecord(exchange.requestId(), services.clock().millis(),
                principal.user().id(), principal.key().id(), operation.name(), intent.model(),
                channel == null ? null : channel.upstreamModel(intent.model()),
                channel == null ? null : channel.id(), status, intent.stream(), metered.usage(), cost,
                exchange.elapsedMillis(), firstByteMs, endReason, metered.basis(), Math.max(attempt + 1, 0),
                KeyMasker.mask(error)));
        if (body instanceof RequestBody.Spooled spooled) {
            BodyReader.deleteQuietly(spooled.file());
        }
    }

}
