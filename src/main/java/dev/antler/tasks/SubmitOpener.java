package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.relay.Intent;
import dev.antler.routing.Channel;
import java.time.Clock;
import java.util.Optional;

/**
 * Stores the task of an accepted submit — off the event loop — and renders the client's answer. When the
 * caller already has a task following the same upstream task on that channel (an upstream that answers a
 * repeated submit with the task it already has), that task is the answer and nothing is charged.
 */
public final class SubmitOpener {

    private final TaskStore store;
    private final Clock clock;

    public SubmitOpener(TaskStore store, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * The opened task and the client's answer.
     *
     * @param isNew false when the caller's existing task was found: nothing to charge
     */
    public record Opened(Task task, byte[] answer, boolean isNew) {}

    public <D> Opened open(TaskSubmit<D> submit, Intent<D> intent, Principal principal, Channel channel,
                           SubmitReply.Accepted accepted, SubmitCost cost, String requestId) {
        String family = submit.family(intent);
        Optional<Task> existing = store.findByUpstream(family, channel.id(), accepted.upstreamId()).stream()
                .filter(t -> t.userId() == principal.user().id()).findFirst();
        if (existing.isPresent()) {
            return new Opened(existing.get(), submit.answer(intent, existing.get(), accepted, requestId), false);
        }
        TaskDraft draft = submit.draft(intent, accepted);
        long now = clock.millis();
        Task task = store.insert(new Task(0, submit.newPublicId(intent, now), family, draft.action(), draft.mode(),
                principal.user().id(), principal.key().id(), channel.id(), accepted.upstreamId(), accepted.initial(),
                "0%", null, cost.charge(), draft.notifyHook(), draft.request(), null, now, null, null, now));
        return new Opened(task, submit.answer(intent, task, accepted, requestId), true);
    }

    /** The caller's own tasks of {@code family}: another user's is answered as unknown (404). */
    public OwnTasks own(Principal principal, String family) {
        return (field, publicId) -> store.find(publicId)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(family))
                .orElseThrow(() -> dev.antler.core.GatewayException.notFound("task_not_found", field + ": " + publicId
                        + " (expected: the id of one of your " + family + " tasks)"));
    }
}
