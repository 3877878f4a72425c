package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.GuardedChange;
import dev.antler.billing.LedgerWriter;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The money and state rules of async tasks, shared by every family.
 *
 * <p><b>Charge.</b> The family holds the price before submitting upstream and, once the upstream accepted,
 * settles the hold in the {@link dev.antler.billing.BalanceBook} and calls {@link #open}: the task row is
 * inserted with {@code charge_state = pending} and the charge (usage row + ledger row) is queued for the
 * ledger writer, guarded by {@code pending → charged} on the row. A submit the upstream refuses is settled
 * at zero: nothing is charged, so nothing needs refunding.
 *
 * <p><b>Refund.</b> Why the refund goes through the {@link LedgerWriter} instead of a transaction of its own:
 * the writer is the only writer of balances, and after each commit it reads the stored balances back into
 * the BalanceBook; a second writer would race those read-backs and leave the book stale. So a refund is a
 * {@link GuardedChange}: in the writer's transaction the task's status compare-and-set runs first (it also
 * requires {@code charge_state = charged} and {@code refund_state = none}), and the ledger row, balance
 * credit and used-total reversals apply only if that CAS changed the row. Status change and refund commit
 * together or not at all, and of any number of racing pollers, sweeps and client fetches (in this process
 * or another one on the same database) exactly one wins the CAS. The BalanceBook learns the new balance
 * from the writer's read-back, as for every other balance change.
 *
 * <p>Status changes that move no money are plain compare-and-sets on the stored status.
 */
public final class TaskEngine {

    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);
    private static final int CAS_ATTEMPTS = 3;

    private final TaskStore store;
    private final LedgerWriter ledger;
    private final Clock clock;
    private final Consumer<Task> onChange;

    /** {@code onChange} is told of every change this engine won (the webhook sender). */
    public TaskEngine(TaskStore store, LedgerWriter ledger, Clock clock, Consumer<Task> onChange) {
        this.store = requireNonNull(store, "store");
        this.ledger = requireNonNull(ledger, "ledger");
        this.clock = requireNonNull(clock, "clock");
        this.onChange = requireNonNull(onChange, "onChange");
    }

    public TaskStore store() {
        return store;
    }

    /**
     * Stores a task the upstream accepted and queues its charge. The caller has already settled the hold
     * for {@code task.costNanos()} in the BalanceBook.
     */
    public Task open(Task task, UsageRecord usage) {
        Task stored = store.insert(task);
        charge(stored, usage);
        return stored;
    }

    /**
     * Queues the charge of a task stored with {@code charge_state = pending}, whose hold the caller has just
     * settled for {@code task.costNanos()} in the BalanceBook. (The relay chain stores the task first, then
     * settles the hold and charges: a task that could not be stored leaves nothing pending in the book.)
     */
    public void charge(Task task, UsageRecord usage) {
        queueCharge(task, usage, true);
    }

    /** Re-queues charges that were queued but not committed when the process stopped. */
    public int resumeCharges() {
        List<Task> pending = store.chargesPending();
        for (Task t : pending) {
            UsageRecord usage = new UsageRecord(t.publicId(), t.submittedAt(), t.userId(), t.keyId(),
                    t.family() + ".submit", t.action(), null, t.channelId(), 200, false,
                    new Usage(0, 0, 0, 0, t.charge().units(), 0),
                    t.costNanos(), 0, null, "complete", "request", 1, null);
            queueCharge(t, usage, false);
        }
        return pending.size();
    }

    private void queueCharge(Task task, UsageRecord usage, boolean pendingInBook) {
        ledger.guarded(new GuardedChange(usage, task.userId(), task.keyId(), -task.costNanos(), task.costNanos(),
                "charge", usage.requestId(), null, pendingInBook, h -> TaskStore.markCharged(h, task.id(), usage.requestId()),
                null));
    }

    /**
     * Applies what the upstream (or the sweep) says about {@code task}: a compare-and-set on its stored
     * status, with the refund in the same transaction when it ends in FAILURE or CANCEL. Returns the task
     * as stored after a change this call made; empty when there was nothing to change or another caller
     * changed it first.
     */
    public Optional<Task> apply(Task task, TaskUpdate update) {
        Task current = task;
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            if (current.status().terminal() || !update.changes(current)) {
                return Optional.empty();
            }
            if (won(current, update)) {
                Task changed = store.find(current.id()).orElseThrow();
                onChange.accept(changed);
                return Optional.of(changed);
            }
            // Another caller moved the task first: decide again against what it stored.
            current = store.find(current.id()).orElseThrow();
        }
        return Optional.empty();
    }

    private boolean won(Task current, TaskUpdate update) {
        long now = clock.millis();
        boolean refund = update.status().refunds() && current.costNanos() > 0 && !current.refunded();
        if (refund) {
            return guarded(new GuardedChange(null, current.userId(), current.keyId(), current.costNanos(),
                    -current.costNanos(), "refund", current.publicId(), note(current, update.status().name()
                    .toLowerCase()), false, h -> TaskStore.transition(h, current, update, now, TaskStore.Money.REFUND),
                    current.publicId()));
        }
        Long made = settles(current, update) ? update.units() : null;
        if (made == null) {
            return store.compareAndSet(current, update, now);
        }
        long settled = Math.multiplyExact(current.charge().unitNanos(), made);
        long delta = settled - current.costNanos(); // > 0: more was made than charged; < 0: less
        TaskStore.Money money = TaskStore.Money.settle(settled, made);
        if (delta == 0) {
            return store.compareAndSet(current, update, now, money);
        }
        return guarded(new GuardedChange(null, current.userId(), current.keyId(), -delta, delta,
                delta > 0 ? "charge" : "refund", current.publicId(), note(current, "settled on " + made + " units ("
                + current.charge().units() + " charged)"), false,
                h -> TaskStore.transition(h, current, update, now, money), current.publicId()));
    }

    /**
     * Whether {@code update} is the completion that settles a task priced per unit on what was made. A task
     * whose charge is not committed yet is left to a later round (the transition requires it committed).
     */
    private static boolean settles(Task task, TaskUpdate update) {
        Task.Charge charge = task.charge();
        return update.status() == TaskStatus.SUCCESS && update.units() != null && update.units() >= 0
                && charge.unitNanos() > 0 && "open".equals(charge.settleState()) && !task.refunded();
    }

    private static String note(Task task, String what) {
        return task.family() + " " + task.action() + " " + what;
    }

    /** Waits for the writer to apply (or refuse) a guarded change; false when it did not apply. */
    private boolean guarded(GuardedChange change) {
        try {
            return ledger.guarded(change).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.error("{} of task {} not written: {}", change.kind(), change.reference(), e.toString());
            return false;
        }
    }
}
