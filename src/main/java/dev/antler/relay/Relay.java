package dev.antler.relay;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.billing.Hold;
import dev.antler.billing.Price;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.http.MultiMapHeaders;
import dev.antler.limits.Admission;
import dev.antler.limits.Limiter;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelPlan;
import dev.antler.routing.Route;
import dev.antler.tasks.TaskSubmit;
import dev.antler.tokens.TokenCounting;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The front of the relay chain: authenticate, read and inspect the body, check the model is allowed
 * and priced, plan the channels and hold the money; then hand over to a {@link RelayCall}. Each step
 * that fails answers in the family's envelope, before anything is charged or sent upstream.
 */
public final class Relay {

    /** The price of a call the upstream does not charge for. */
    private static final Price FREE = Price.perCall("0");

    private final RelayServices services;
    private final SubmitStart submits;

    public Relay(RelayServices services) {
        this.services = requireNonNull(services, "services");
        this.submits = new SubmitStart(this);
    }

    public RelayServices services() {
        return services;
    }

    public void handle(Exchange exchange, Operation<?> operation) {
        handle(exchange, operation, ClientKey.of(exchange.request()));
    }

    /** {@link #handle(Exchange, Operation)} for a family whose clients present their key otherwise. */
    public void handle(Exchange exchange, Operation<?> operation, String presentedKey) {
        handle(exchange, operation.bodyKind(), operation.minimumHold(), presentedKey, (principal, client) -> operation);
    }

    /** An endpoint whose operation is chosen once its body is read ({@link OperationChoice}). */
    public void handle(Exchange exchange, OperationChoice choice) {
        handle(exchange, choice.bodyKind(), 1, ClientKey.of(exchange.request()), choice::choose);
    }

    private void handle(Exchange exchange, Operation.BodyKind bodyKind, long minimumHold, String presentedKey,
                        BiFunction<Principal, ClientRequest, Operation<?>> choose) {
        HttpServerRequest request = exchange.request();
        request.pause();
        try {
            BodyReader.declaredLength(request, services.limits().body().max(bodyKind));
            checkContentType(request, bodyKind);
        } catch (GatewayException e) {
            exchange.fail(e);
            return;
        }
        authenticate(presentedKey)
                .compose(principal -> {
                    precheck(principal, minimumHold);
                    return BodyReader.read(services.vertx(), request, bodyKind, services.limits().body(),
                                    services.spoolDirectory())
                            .compose(body -> begin(exchange, principal, body, choose));
                })
                .onSuccess(call -> {
                    if (call != null) {
                        call.start();
                    }
                })
                .onFailure(exchange::fail);
    }

    private Future<RelayCall<?>> begin(Exchange exchange, Principal principal, RequestBody body,
                                       BiFunction<Principal, ClientRequest, Operation<?>> choose) {
        ClientRequest client = clientRequest(exchange.request(), body);
        Operation<?> operation;
        try {
            operation = choose.apply(principal, client);
        } catch (RuntimeException e) {
            body.discard();
            throw e;
        }
        @SuppressWarnings("unchecked") // a call of some operation's type
        Future<RelayCall<?>> call = (Future<RelayCall<?>>) (Future<?>) begin(exchange, operation, principal, client);
        return call;
    }

    /** The call for an ordinary operation; null for a task submit, which {@link SubmitStart} takes on. */
    private <D> Future<RelayCall<D>> begin(Exchange exchange, Operation<D> operation, Principal principal,
                                           ClientRequest client) {
        if (operation instanceof TaskSubmit<D> submit) {
            submits.begin(exchange, submit, principal, client);
            return Future.succeededFuture();
        }
        Intent<D> intent;
        try {
            intent = operation.inspect(client);
        } catch (RuntimeException e) {
            client.body().discard();
            throw e;
        }
        if (operation.locates()) {
            Intent<D> read = intent;
            return offLoop(() -> operation.locate(read, principal.user().id()))
                    .onFailure(e -> client.body().discard())
                    .compose(located -> admit(exchange, operation, principal, client, located));
        }
        return admit(exchange, operation, principal, client, intent);
    }

    /**
     * What can be refused before a byte of the body is buffered: a key over its request limits, a user at
     * its daily cap or without the money for the cheapest request (none for a {@code minimumHold} of 0).
     * Counts and holds nothing.
     */
    public void precheck(Principal principal, long minimumHold) {
        services.limits().limiter().precheck(principal, minimumHold);
        if (minimumHold > 0) {
            services.balances().checkAvailable(principal.user(), principal.key(), minimumHold);
        }
    }

    /**
     * The principal for {@code presentedKey}, completing on the caller's event loop (a cache miss is
     * looked up off it), or a 401 failure.
     */
    public Future<Principal> authenticate(String presentedKey) {
        return onCaller(services.authenticator().authenticate(presentedKey));
    }

    /** As {@link #authenticate}, for a key known only by its hash (an ephemeral key's bound key). */
    public Future<Principal> authenticateHash(String keyHash) {
        return onCaller(services.authenticator().authenticateHash(keyHash));
    }

    private Future<Principal> onCaller(CompletableFuture<Principal> principal) {
        if (principal.isDone()) { // a cache hit (or a refusal): answered here, no trip through the context
            try {
                return Future.succeededFuture(principal.join());
            } catch (CompletionException e) {
                return Future.failedFuture(e.getCause());
            }
        }
        return Future.fromCompletionStage(principal, services.vertx().getOrCreateContext());
    }

    /**
     * Authenticates {@code presentedKey}, then runs {@code work} for its principal off the event loop (a store
     * read, a refresh from the upstream); completes on the caller's context. For the families' free reads.
     */
    public <T> Future<T> authenticated(String presentedKey, java.util.function.Function<Principal, T> work) {
        return authenticate(presentedKey).compose(principal -> offLoop(() -> work.apply(principal)));
    }

    /** Runs blocking {@code work} (a store read) off the event loop; completes on the caller's context. */
    private <T> Future<T> offLoop(Supplier<T> work) {
        return Future.fromCompletionStage(CompletableFuture.supplyAsync(work, services.blocking()),
                services.vertx().getOrCreateContext());
    }

    /** The client's request as the family sees it: built once, its headers wrapped, not copied. */
    private static ClientRequest clientRequest(HttpServerRequest request, RequestBody body) {
        // Over HTTP/1.1 the Host header names the authority: reading it here would cost every request a lookup.
        String authority = request.version() == HttpVersion.HTTP_2 && request.authority() != null
                ? request.authority().toString() : null;
        String scheme = request.scheme() == null ? "http" : request.scheme();
        return new ClientRequest(request.method().name(), scheme, authority, request.path(), request.query(),
                new MultiMapHeaders(request.headers()), body);
    }

    /**
     * Admits an inspected request: the key may use its model, a channel serves it, it is priced, the limits admit
     * it (this instance's at once, the shared ones, when on, after their answer) and its hold is taken. What counts
     * tokens (a local answer, a hold counted with the tokenizer) is counted off the event loop.
     * Thread-safe: task submits are admitted off the event loop.
     */
    <D> Future<RelayCall<D>> admit(Exchange exchange, Operation<D> operation, Principal principal,
                                   ClientRequest client, Intent<D> intent) {
        RequestBody body = client.body();
        try {
            String model = intent.model();
            if (!principal.key().allows(model)) {
                throw GatewayException.forbidden("model_not_allowed",
                        "model: " + model + " (expected: one of the models this key may use: "
                                + String.join(", ", principal.key().allowedModels()) + ")");
            }
            boolean answersLocally = false;
            List<List<Channel>> tiers;
            Long pinned = operation.pinnedChannel(intent);
            if (pinned != null) {
                tiers = List.of(List.of(pinnedChannel(pinned)));
            } else if (operation instanceof TaskSubmit<D> submit) {
                tiers = submit.tiers(services.channels(), principal.user().group(), intent);
            } else {
                Route route = services.channels().route(principal.user().group(), model, operation.channelTypes(),
                        operation.translatedChannelTypes());
                tiers = route.tiers();
                if (route.hasTranslated()) {
                    // An operation that answers itself does so when a translated channel is the first choice.
                    tiers = !operation.answersLocally() ? translatable(operation, intent, route)
                            : route.translatedFirst() ? List.of() : route.nativeTiers();
                }
                answersLocally = tiers.isEmpty() && route.hasTranslated() && operation.answersLocally();
            }
            if (tiers.isEmpty() && !answersLocally) {
                throw noChannel(operation, model, principal.user().group());
            }
            Price price = operation.free() ? FREE : price(operation, intent);
            List<List<Channel>> planTiers = tiers;
            Future<byte[]> localAnswer = answersLocally
                    ? TokenCounting.offEventLoop(() -> operation.localAnswer(intent)) : Future.succeededFuture();
            return localAnswer
                    .compose(answer -> HoldPlan.of(services, operation, intent, price, principal).compose(plan ->
                            admitPlanned(exchange, operation, principal, client, price, planTiers, answer, plan)))
                    .onFailure(e -> body.discard());
        } catch (RuntimeException e) {
            body.discard();
            throw e;
        }
    }

    /** Admits a priced and planned request to the limits, then takes its hold: the call, ready to start. */
    private <D> Future<RelayCall<D>> admitPlanned(Exchange exchange, Operation<D> operation, Principal principal,
                                                  ClientRequest client, Price price, List<List<Channel>> tiers,
                                                  byte[] localAnswer, HoldPlan<D> holdPlan) {
        Admission admission = null;
        RequestBody body = client.body();
        try {
            Intent<D> planned = holdPlan.intent();
            long holdAmount = holdPlan.amount();
            admission = services.limits().limiter().admit(principal, Limiter.promptTokenEstimate(body), holdAmount);
            Admission admitted = admission;
            Supplier<RelayCall<D>> held = () -> {
                Hold hold = operation.free() ? services.balances().free(principal.user(), principal.key())
                        : services.balances().hold(principal.user(), principal.key(), holdAmount, holdPlan.refusalNote());
                if (holdPlan.cappedTo() >= 0) {
                    exchange.response().putHeader(HoldPlan.CAPPED_HEADER, Long.toString(holdPlan.cappedTo()));
                }
                // Every channel in order: the call skips those whose breaker is open and stops at maxAttempts tries.
                List<Channel> plan = ChannelPlan.order(tiers, services.random(), Integer.MAX_VALUE);
                return new RelayCall<>(services, exchange, operation, principal, client, planned, price, hold, plan)
                        .admitted(admitted).answeredLocally(localAnswer);
            };
            Future<Void> confirmed = admission.confirmed();
            if (confirmed.succeeded()) { // no shared limits to wait for: on in this thread
                return Future.succeededFuture(held.get());
            }
            return confirmed.transform(done -> {
                try {
                    if (done.failed()) {
                        throw done.cause() instanceof RuntimeException e ? e : new IllegalStateException(done.cause());
                    }
                    return Future.succeededFuture(held.get());
                } catch (RuntimeException e) {
                    admitted.cancel();
                    body.discard();
                    return Future.failedFuture(e);
                }
            });
        } catch (RuntimeException e) {
            if (admission != null) {
                admission.cancel();
            }
            body.discard();
            throw e;
        }
    }

    /** The channel a request is pinned to ({@link Operation#pinnedChannel}), or a 503 when it was deleted since. */
    private Channel pinnedChannel(long id) {
        return services.channels().find(id).orElseThrow(() -> new GatewayException(503, ErrorKind.NO_CHANNEL,
                "channel_gone", "channel: " + id + " no longer exists (expected: the channel holding what this "
                        + "request refers to, such as the task it follows up)"));
    }

    /**
     * No enabled channel serves {@code model}: a 404 {@code model_not_found} when no channel serves it at all (SDKs
     * retry a 503, which a model name that does not exist never deserves), a 503 when channels serving it exist but
     * are all disabled (an outage an operator or the channel test ends).
     */
    private GatewayException noChannel(Operation<?> operation, String model, String group) {
        Set<String> types = new HashSet<>(operation.channelTypes());
        types.addAll(operation.translatedChannelTypes());
        if (services.channels().knows(group, model, types)) {
            return new GatewayException(503, ErrorKind.NO_CHANNEL, "model_not_available", "model: " + model
                    + " (every channel serving it to group '" + group + "' is disabled; retry later)");
        }
        return GatewayException.notFound("model_not_found", "model: " + model
                + " (expected: a model served to group '" + group
                + "'; no channel serves it; GET /v1/models lists what this key can use)");
    }

    /** The request's price: its price key's, or for a task submit the first of its price names that has one. */
    private <D> Price price(Operation<D> operation, Intent<D> intent) {
        if (operation instanceof TaskSubmit<D> submit) {
            List<String> keys = submit.priceKeys(intent);
            for (String key : keys) {
                Price price = services.prices().find(key).orElse(null);
                if (price != null) {
                    return price;
                }
            }
            throw notPriced(keys.get(0), intent.model());
        }
        return services.prices().find(intent.priceKey()).orElseThrow(() -> notPriced(intent.priceKey(), intent.model()));
    }

    private static GatewayException notPriced(String priceKey, String model) {
        return new GatewayException(503, ErrorKind.NO_CHANNEL, "model_not_priced",
                (priceKey.equals(model) ? "model: " + model : "price: " + priceKey + " (model " + model + ")")
                        + " has no price set (expected: the operator to set one before it is used)");
    }

    /**
     * The route's tiers when the request can be translated for its translated channels; otherwise its
     * native tiers, or the 400 saying why when only translated channels serve the model.
     */
    private static <D> List<List<Channel>> translatable(Operation<D> operation, Intent<D> intent, Route route) {
        try {
            operation.checkTranslatable(intent);
            return route.tiers();
        } catch (GatewayException e) {
            if (route.nativeTiers().isEmpty()) {
                throw e;
            }
            return route.nativeTiers();
        }
    }

    private static void checkContentType(HttpServerRequest request, Operation.BodyKind kind) {
        String contentType = request.getHeader("Content-Type");
        boolean ok = switch (kind) {
            case NONE -> true;
            case JSON -> contentType == null || contentType.regionMatches(true, 0, "application/json", 0, 16);
            case MULTIPART -> contentType != null && contentType.regionMatches(true, 0, "multipart/form-data", 0, 19);
        };
        if (!ok) {
            String expected = kind == Operation.BodyKind.JSON ? "application/json" : "multipart/form-data";
            throw new GatewayException(415, ErrorKind.INVALID_REQUEST, "unsupported_content_type",
                    "Content-Type: " + contentType + " (expected: " + expected + ")");
        }
    }
}
