package dev.antler.tasks;

import dev.antler.billing.LedgerWriter;
import dev.antler.config.TasksConfig;
import dev.antler.routing.ChannelRegistry;
import dev.antler.security.BaseUrlGuard;
import dev.antler.store.Database;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The task engine assembled: store, engine, webhooks and the poller, with the families registered on it. */
public final class Tasks implements AutoCloseable {

    /** More owed at once than this (a hook down for long) are left owed; the next start sends the next ones. */
    private static final int WEBHOOKS_RESENT_AT_START = 10_000;

    private final Map<String, TaskFamily> families = new ConcurrentHashMap<>();
    private final TaskEngine engine;
    private final WebhookSender webhooks;
    private final TaskPoller poller;
    private final TasksConfig config;
    private final SubmitOpener opener;
    private final IdempotencyKeys idempotency;
    private final TaskRefresh refresh;
    private final TaskReads reads;
    private final VideoDialects videoDialects = new VideoDialects();
    private final TaskResults results;
    private final TaskWaiters waiters;
    private final BaseUrlGuard webhookGuard;

    public Tasks(Database database, LedgerWriter ledger, ChannelRegistry channels, TasksConfig config, Clock clock,
                 TaskResults.Io io) {
        this.config = config;
        this.webhookGuard = io.guard();
        TaskStore store = new TaskStore(database);
        this.webhooks = new WebhookSender(families, store::webhookSettled, config.webhookAttempts(),
                config.webhookBackoffMs(), io.guard());
        this.results = new TaskResults(store, channels, io);
        this.waiters = new TaskWaiters(store);
        this.engine = new TaskEngine(store, ledger, clock, task -> {
            webhooks.changed(task);
            results.changed(task);
            waiters.changed(task);
        });
        PollLease lease = new PollLease(database, "task-poller", "gateway-" + UUID.randomUUID(), config.leaseMs(), clock);
        this.poller = new TaskPoller(engine, families, channels, lease, config, clock);
        this.refresh = new TaskRefresh(engine, channels);
        this.reads = new TaskReads(ledger, clock);
        this.opener = new SubmitOpener(store, clock);
        this.idempotency = new IdempotencyKeys(database, clock);
    }

    /** Asks an unfinished task's upstream once before a client's read of it. */
    public TaskRefresh refresh() {
        return refresh;
    }

    /** Logs the task families' free reads at zero cost. */
    public TaskReads reads() {
        return reads;
    }

    public SubmitOpener opener() {
        return opener;
    }

    public IdempotencyKeys idempotency() {
        return idempotency;
    }

    /** Completed tasks' result files under the gateway's own links. */
    public TaskResults results() {
        return results;
    }

    /**
     * Why the gateway will not call {@code url} as a client's webhook (not http(s), or not a public host unless
     * private addresses are allowed), or empty when it will. Blocking (resolves the host).
     */
    public java.util.Optional<String> webhookRefusal(String url) {
        if (!url.matches("(?i)https?://[^/?#]+.*")) {
            return java.util.Optional.of("an http(s) URL");
        }
        return webhookGuard.refusal(url);
    }

    /** Requests waiting for their task to finish. */
    public TaskWaiters waiters() {
        return waiters;
    }

    /** The video families' dialects of new-api's generic video route. */
    public VideoDialects videoDialects() {
        return videoDialects;
    }

    public void register(TaskFamily family) {
        families.put(family.name(), family);
    }

    /**
     * Re-queues charges a stop interrupted, sends once more the webhooks it interrupted, then starts polling
     * (which resumes unfinished tasks).
     */
    public void start() {
        engine.resumeCharges();
        webhooks.resend(engine.store().webhooksDue(WEBHOOKS_RESENT_AT_START));
        poller.start();
    }

    public TaskEngine engine() {
        return engine;
    }

    public TaskStore store() {
        return engine.store();
    }

    public TaskPoller poller() {
        return poller;
    }

    public WebhookSender webhooks() {
        return webhooks;
    }

    public TasksConfig config() {
        return config;
    }

    @Override
    public void close() {
        poller.close();
        webhooks.close();
        waiters.close();
    }
}
