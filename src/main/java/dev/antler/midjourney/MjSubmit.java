package dev.antler.midjourney;

import dev.antler.accounts.Principal;
import dev.antler.billing.CostCalculator;
import dev.antler.billing.Hold;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.RelayServices;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelPlan;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskEngine;
import dev.antler.tasks.TaskStatus;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One submit, after validation: price it, hold the money, submit upstream, and on acceptance (codes 1, 21,
 * 22) store the task and charge it; on refusal (23 queue full, 24 banned prompt, 4, 9, ...) settle at zero
 * and pass the code on. The answer carries the gateway's task id, never the upstream's.
 *
 * <p>Code 21 means two things upstream. midjourney-proxy answers 21 "already exists" with the id of an
 * upscale it has already done (and its {@code status} in {@code properties}): no new work, so nothing is
 * charged, and the caller gets the gateway task it already has for it (or, if it has none, a new uncharged
 * one that follows it). midjourney-proxy-plus answers 21 "Waiting for window confirm" with a new task that
 * waits in MODAL for {@code /submit/modal}: that is new work, charged like code 1.
 */
final class MjSubmit {

    private static final Logger log = LoggerFactory.getLogger(MjSubmit.class);

    static final Set<String> CHANNEL_TYPES = Set.of("midjourney");

    private final RelayServices services;
    private final TaskEngine engine;
    private final MjUpstream upstream;

    MjSubmit(RelayServices services, TaskEngine engine, MjUpstream upstream) {
        this.services = services;
        this.engine = engine;
        this.upstream = upstream;
    }

    /** Runs on a blocking thread; returns the JSON answer. */
    Buffer submit(Principal principal, MjSubmitRequest request, String mode, String requestId, String baseUrl) {
        List<Channel> plan = plan(principal, request, mode);
        Price price = price(request.action(), mode);
        long cost = CostCalculator.cost(price, units(), principal.group().multiplierPpm());
        Hold hold = services.balances().hold(principal.user(), principal.key(), cost);
        String path = (mode == null ? "" : "/mj-" + mode) + request.upstreamPath();
        MjUpstream.Reply reply = null;
        Channel channel = null;
        GatewayException failure = null;
        for (Channel candidate : plan) {
            channel = candidate;
            try {
                reply = upstream.post(candidate, path, Buffer.buffer(Json.bytes(request.upstreamBody())));
                failure = null;
                break;
            } catch (GatewayException e) {
                failure = e;
                if (e.retry() != GatewayException.Retry.UNPROCESSED) {
                    break;
                }
            }
        }
        if (failure != null || reply == null) {
            settleRefused(principal, hold, request, channel, requestId, 502, failure == null ? "no channel" : failure.getMessage());
            throw failure != null ? failure : new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable",
                    "upstream: no channel answered");
        }
        JsonNode answer = reply.status() / 100 == 2 ? parse(reply.body()) : null;
        int code = answer == null ? -1 : answer.path("code").asInt(-1);
        String upstreamId = answer == null ? "" : answer.path("result").asString("");
        boolean accepted = (code == 1 || code == 21 || code == 22) && (!upstreamId.isBlank() || !request.createsTask());
        if (!accepted) {
            String why = answer == null ? "HTTP " + reply.status() : "code " + code + ": " + answer.path("description").asString("");
            settleRefused(principal, hold, request, channel, requestId, reply.status(), why);
            if (answer == null) {
                log.info("submit to {}: HTTP {} with a body that is not a JSON object ({} bytes, {})", channel.name(),
                        reply.status(), reply.body().length(), reply.contentType());
                int status = reply.status() == 429 ? 429 : 502;
                throw new GatewayException(status, ErrorKind.UPSTREAM, "upstream_error",
                        reply.status() / 100 == 2
                                ? "upstream: " + channel.name() + " answered HTTP " + reply.status() + " with a body that"
                                        + " is not a JSON object (expected: a midjourney-proxy answer with code and result)"
                                : "upstream: " + channel.name() + " answered HTTP " + reply.status() + " (expected: 200)");
            }
            ObjectNode out = Json.object();
            out.put("code", code);
            out.put("description", answer.path("description").asString(""));
            out.putNull("result");
            out.set("properties", properties(answer));
            return Buffer.buffer(Json.bytes(out));
        }
        TaskStatus initial = code == 22 ? TaskStatus.NOT_START : TaskStatus.SUBMITTED;
        if (code == 21 && request.createsTask()) {
            Buffer known = existing(principal, hold, request, channel, requestId, upstreamId, answer);
            if (known != null) {
                return known;
            }
            if (answer.path("properties").hasNonNull("status")) {
                cost = 0; // an upstream task that already exists: no new work, nothing to charge
            } else {
                initial = TaskStatus.MODAL; // a new task waiting for /submit/modal
            }
        }
        services.balances().settle(hold, cost);
        UsageRecord usage = usage(principal, request, channel, requestId, cost, 200, null);
        if (!request.createsTask()) {
            services.ledger().settle(usage);
            return reply.body();
        }
        Task task = engine.open(newTask(principal, request, mode, channel, upstreamId, cost, baseUrl, initial), usage);
        ObjectNode out = Json.object();
        out.put("code", code);
        out.put("description", answer.path("description").asString("Submit success"));
        out.put("result", task.publicId());
        out.set("properties", properties(answer));
        return Buffer.buffer(Json.bytes(out));
    }

    /**
     * Code 21 naming a task this user already has on that channel (midjourney-proxy answers 21 "already
     * exists" to an upscale it has done before): that task's id, charging nothing; null otherwise.
     */
    private Buffer existing(Principal principal, Hold hold, MjSubmitRequest request, Channel channel,
                            String requestId, String upstreamId, JsonNode answer) {
        Task mine = engine.store().findByUpstream(MjTasks.FAMILY, channel.id(), upstreamId).stream()
                .filter(t -> t.userId() == principal.user().id()).findFirst().orElse(null);
        if (mine == null) {
            return null;
        }
        services.balances().settle(hold, 0);
        services.ledger().settle(new UsageRecord(requestId, services.clock().millis(), principal.user().id(),
                principal.key().id(), "mj." + request.action().priceAction(), request.action().baseKey(), null,
                channel.id(), 200, false, Usage.NONE, 0, 0, null, "complete", "none", 1, null));
        ObjectNode out = Json.object();
        out.put("code", 21);
        out.put("description", answer.path("description").asString("already exists"));
        out.put("result", mine.publicId());
        out.set("properties", properties(answer));
        return Buffer.buffer(Json.bytes(out));
    }

    private List<Channel> plan(Principal principal, MjSubmitRequest request, String mode) {
        String model = request.action().baseKey();
        if (!principal.key().allows(model)) {
            throw GatewayException.forbidden("model_not_allowed", "model: " + model
                    + " (expected: one of the models this key may use)");
        }
        if (request.parent() != null) {
            // The upstream knows the parent task on its channel only.
            List<Channel> same = services.channels().all().stream()
                    .filter(c -> c.id() == request.parent().channelId()).toList();
            if (same.isEmpty()) {
                throw new GatewayException(503, ErrorKind.NO_CHANNEL, "channel_gone", "taskId: "
                        + request.parent().publicId() + " (expected: a task whose channel still exists)");
            }
            return same;
        }
        List<List<Channel>> tiers = MjChannels.tiers(services.channels(), principal.user().group(), model, mode);
        if (tiers.isEmpty()) {
            throw new GatewayException(503, ErrorKind.NO_CHANNEL, "model_not_available", "model: " + model + " under /"
                    + MjChannels.modeEntry(mode) + " (expected: a Midjourney channel serving it to group '"
                    + principal.user().group() + "', its models listing " + model + " and " + MjChannels.modeEntry(mode)
                    + " or no action / no mode)");
        }
        return ChannelPlan.order(tiers, services.random(), services.maxAttempts());
    }

    private Price price(MjActions.Action action, String mode) {
        return services.prices().find(action.priceKey(mode))
                .or(() -> services.prices().find(action.baseKey()))
                .orElseThrow(() -> new GatewayException(503, ErrorKind.NO_CHANNEL, "model_not_priced",
                        "price: " + action.priceKey(mode) + " has no price set (expected: the operator to set one)"));
    }

    private static Usage units() {
        return new Usage(0, 0, 0, 0, 1, 0);
    }

    private void settleRefused(Principal principal, Hold hold, MjSubmitRequest request, Channel channel,
                               String requestId, int status, String error) {
        services.balances().settle(hold, 0);
        services.ledger().settle(usage(principal, request, channel, requestId, 0, status, error));
    }

    private UsageRecord usage(Principal principal, MjSubmitRequest request, Channel channel, String requestId,
                              long cost, int status, String error) {
        return new UsageRecord(requestId, services.clock().millis(), principal.user().id(), principal.key().id(),
                "mj." + request.action().priceAction(), request.action().baseKey(), null,
                channel == null ? null : channel.id(), status, false, cost > 0 ? units() : Usage.NONE, cost, 0, null,
                error == null ? "complete" : "error", cost > 0 ? "request" : "none", 1, error);
    }

    private Task newTask(Principal principal, MjSubmitRequest request, String mode, Channel channel, String upstreamId,
                         long cost, String baseUrl, TaskStatus status) {
        ObjectNode facts = Json.object();
        facts.put("baseUrl", baseUrl);
        for (String field : new String[] {"prompt", "state", "customId", "botType"}) {
            JsonNode value = request.upstreamBody().get(field);
            if (value != null && value.isString()) {
                facts.set(field, value);
            }
        }
        long now = services.clock().millis();
        return new Task(0, MjIds.next(now), MjTasks.FAMILY, request.action().taskAction(), mode,
                principal.user().id(), principal.key().id(), channel.id(), upstreamId, status, "0%", null,
                Task.Charge.perCall(cost), request.notifyHook(), Json.MAPPER.writeValueAsString(facts),
                null, now, null, null, now);
    }

    /** The upstream's {@code properties}, without its {@code imageUrl} (clients get images via the gateway). */
    private static ObjectNode properties(JsonNode answer) {
        ObjectNode properties = answer.path("properties") instanceof ObjectNode p ? p.deepCopy() : Json.object();
        properties.remove("imageUrl");
        return properties;
    }

    private static JsonNode parse(Buffer body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body.getBytes());
            return node.isObject() ? node : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Public task ids: digit strings like midjourney-proxy's (clients may expect digits), unrelated to the
     * upstream's. A task id alone opens {@code /mj/image/{id}} (no key, as in the protocol), so it must not be
     * guessable: after the 13-digit submit time come 19 digits from a {@link SecureRandom} (about 63 bits), so
     * knowing when a task was made does not help find its id.
     */
    static final class MjIds {
        private static final SecureRandom RANDOM = new SecureRandom();

        private MjIds() {}

        static String next(long now) {
            long random = RANDOM.nextLong() & Long.MAX_VALUE;
            return String.format("%013d%019d", now, random);
        }
    }
}
