package dev.antler.videogen;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.Price;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.OwnTasks;
import dev.antler.tasks.SubmitCost;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskSubmit;
import dev.antler.tasks.VideoDialect;
import java.util.List;

/**
 * A generic request bound to its family's own submit: the synthetic request and the intent that submit read from
 * it. Each step of the chain is the family's, with its own intent.
 */
record Bound<D>(TaskSubmit<D> submit, ClientRequest request, Intent<D> intent) {

    Bound {
        requireNonNull(submit, "submit");
        requireNonNull(request, "request");
        requireNonNull(intent, "intent");
    }

    /** Runs the family's {@code inspect} on its synthetic request. */
    static <D> Bound<D> inspect(VideoDialect.Own<D> own) {
        return new Bound<>(own.submit(), own.request(), own.submit().inspect(own.request()));
    }

    Bound<D> resolve(OwnTasks own) {
        return new Bound<>(submit, request, submit.resolve(intent, own));
    }

    String family() {
        return submit.family(intent);
    }

    List<List<Channel>> tiers(ChannelRegistry registry, String group) {
        return submit.tiers(registry, group, intent);
    }

    List<String> priceKeys() {
        return submit.priceKeys(intent);
    }

    Long pinnedChannel() {
        return submit.pinnedChannel(intent);
    }

    long units() {
        return submit.units(intent);
    }

    long holdEstimate(Price price, HoldBasis basis) {
        return submit.holdEstimate(intent, price, basis);
    }

    SubmitCost cost(Price price, long multiplierPpm, Long reportedUnits) {
        return submit.cost(intent, price, multiplierPpm, reportedUnits);
    }

    UpstreamRequest upstreamRequest(Channel channel) {
        return submit.upstreamRequest(intent, channel, request);
    }

    SubmitReply read(Channel channel, int status, byte[] body) {
        return submit.read(intent, channel, status, body);
    }

    TaskDraft draft(SubmitReply.Accepted accepted) {
        return submit.draft(intent, accepted);
    }

    String newPublicId(long now) {
        return submit.newPublicId(intent, now);
    }
}
