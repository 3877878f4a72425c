package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a task to its {@code notifyHook} after each change, asynchronously: a slow or dead webhook never
 * holds up polling. A delivery that fails (connect error, timeout, non-2xx) is retried up to
 * {@code attempts} times in all, the pause doubling from {@code backoffMs}; then it is dropped with a log
 * line. Deliveries live in memory: a stop loses those still retrying.
 */
public final class WebhookSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, TaskFamily> families;
    private final int attempts;
    private final long backoffMs;
    /** Built on the first delivery: a JDK HTTP client costs a twelfth of the gateway's start-up. */
    private volatile HttpClient http;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("antler-webhooks").daemon(true).factory());
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    public WebhookSender(Map<String, TaskFamily> families, int attempts, long backoffMs) {
        this.families = requireNonNull(families, "families");
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
        byte[] body = family.render(task);
        deliver(task.publicId(), uri, body, 1);
    }

    private void deliver(String taskId, URI uri, byte[] body, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        client().sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                delivered.incrementAndGet();
                return;
            }
            String why = failure != null ? failure.toString() : "HTTP " + response.statusCode();
            if (attempt >= attempts || retries.isShutdown()) {
                abandoned.incrementAndGet();
                log.info("task {}: webhook {} not delivered after {} attempts ({})", taskId, uri.getHost(), attempt, why);
                return;
            }
            long pause = backoffMs << Math.min(attempt - 1, 16);
            try {
                retries.schedule(() -> deliver(taskId, uri, body, attempt + 1), pause, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                abandoned.incrementAndGet();
            }
        });
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
