package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.security.BaseUrlGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a task to its {@code notifyHook} after each change, asynchronously: a slow or dead webhook never
 * holds up polling. A delivery that fails (connect error, timeout, non-2xx) is retried up to
 * {@code attempts} times in all, the pause doubling from {@code backoffMs}; then it is dropped with a log
 * line. Retries are scheduled in memory, but what is owed is also on the task row ({@code webhook_due},
 * set with each change, cleared by {@code settled} once the state was delivered or given up): deliveries
 * still owed at a stop (or a crash) are sent once more, with the task's latest state, at the next start
 * ({@link #resend}). A hook may therefore receive the same state twice; it never misses the latest one.
 */
public final class WebhookSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, TaskFamily> families;
    private final Consumer<Task> settled;
    private final int attempts;
    private final long backoffMs;
    /** Built on the first delivery: a JDK HTTP client costs a twelfth of the gateway's start-up. */
    private volatile HttpClient http;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("antler-webhooks").daemon(true).factory());
    private final BaseUrlGuard addressGuard;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    /** {@code settled} is told (on a background thread) when a task's state was delivered or given up. */
    public WebhookSender(Map<String, TaskFamily> families, Consumer<Task> settled, int attempts, long backoffMs,
                         BaseUrlGuard addressGuard) {
        this.addressGuard = requireNonNull(addressGuard, "addressGuard");
        this.families = requireNonNull(families, "families");
        this.settled = requireNonNull(settled, "settled");
        this.attempts = attempts;
        this.backoffMs = backoffMs;
    }

    private HttpClient client() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
                    http = client;
                }
            }
        }
        return client;
    }

    /** Queues the delivery of {@code task} to its hook, if it has one. */
    public void changed(Task task) {
        String hook = task.notifyHook();
        TaskFamily family = families.get(task.family());
        if (hook == null || hook.isBlank() || family == null) {
            return;
        }
        URI uri;
        try {
            uri = URI.create(hook);
        } catch (IllegalArgumentException e) {
            log.info("task {}: notifyHook {} is not a URL; not delivered", task.publicId(), hook);
            return;
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            log.info("task {}: notifyHook {} is not an http(s) URL; not delivered", task.publicId(), hook);
            settle(task);
            return;
        }
        if (!family.webhookWanted(task)) {
            settle(task);
            return;
        }
        byte[] body = family.render(task);
        Map<String, String> headers = family.webhookHeaders(task, body);
        try {
            // Off the caller's thread: the address check resolves the host name.
            retries.execute(() -> {
                Optional<String> refusal = addressGuard.refusal(hook);
                if (refusal.isPresent()) {
                    // A client-chosen URL must not reach the gateway's own network (the admin API, metadata
                    // services) unless the operator allows private addresses.
                    log.info("task {}: notifyHook {} not delivered (expected: {})", task.publicId(), uri.getHost(),
                            refusal.get());
                    settle(task);
                } else {
                    deliver(task, uri, body, headers, 1);
                }
            });
        } catch (RejectedExecutionException stopped) {
            // stopping: still owed on the task row
        }
    }

    /** Delivers, once more, the latest state of tasks whose delivery a stop interrupted. */
    public void resend(List<Task> due) {
        due.forEach(this::changed);
    }

    private void deliver(Task task, URI uri, byte[] body, Map<String, String> headers, int attempt) {
        String taskId = task.publicId();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json");
        headers.forEach(builder::header);
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        client().sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                delivered.incrementAndGet();
                settle(task);
                return;
            }
            String why = failure != null ? failure.toString() : "HTTP " + response.statusCode();
            if (retries.isShutdown()) {
                return; // stopping: still owed on the task row, sent again at the next start
            }
            if (attempt >= attempts) {
                abandoned.incrementAndGet();
                log.info("task {}: webhook {} not delivered after {} attempts ({})", taskId, uri.getHost(), attempt, why);
                settle(task);
                return;
            }
            long pause = backoffMs << Math.min(attempt - 1, 16);
            try {
                retries.schedule(() -> deliver(task, uri, body, headers, attempt + 1), pause, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // stopping: still owed on the task row
            }
        });
    }

    /** Clears the task's owed flag off the HTTP client's threads; skipped when stopping (sent again then). */
    private void settle(Task task) {
        try {
            retries.execute(() -> {
                try {
                    settled.accept(task);
                } catch (RuntimeException e) {
                    log.warn("task {}: webhook delivery not recorded ({}); it may be sent again after a restart",
                            task.publicId(), e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // stopping: the flag stays, so this state is sent once more at the next start
        }
    }

    public long delivered() {
        return delivered.get();
    }

    public long abandoned() {
        return abandoned.get();
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
