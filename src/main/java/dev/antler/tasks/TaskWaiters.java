package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Requests waiting for their task to finish (OpenAI's images route served by an async family). A waiter completes
 * with the finished task as soon as this instance's engine reports it; a task another instance polls is read again
 * from the store every {@link #RECHECK_MS}; at the deadline the waiter completes with the task as it then stands.
 */
public final class TaskWaiters implements AutoCloseable {

    static final long RECHECK_MS = 1000;

    private final TaskStore store;
    private final Map<Long, List<CompletableFuture<Task>>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("antler-task-waiters").daemon(true).factory());

    TaskWaiters(TaskStore store) {
        this.store = requireNonNull(store, "store");
        timer.scheduleWithFixedDelay(this::recheck, RECHECK_MS, RECHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** {@code task} once finished, or as it stands after {@code timeoutMs}; completes on a background thread. */
    public CompletableFuture<Task> finished(Task task, long timeoutMs) {
        CompletableFuture<Task> done = new CompletableFuture<>();
        if (task.status().terminal()) {
            done.complete(task);
            return done;
        }
        waiting.computeIfAbsent(task.id(), id -> new CopyOnWriteArrayList<>()).add(done);
        try {
            timer.schedule(() -> done.complete(store.find(task.id()).orElse(task)), timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            done.complete(task);
        }
        done.whenComplete((t, e) -> forget(task.id(), done));
        return done;
    }

    /** The engine's word that {@code task} changed. */
    void changed(Task task) {
        if (task.status().terminal()) {
            List<CompletableFuture<Task>> waiters = waiting.get(task.id());
            if (waiters != null) {
                waiters.forEach(w -> w.complete(task));
            }
        }
    }

    private void recheck() {
        for (Long id : waiting.keySet()) {
            try {
                store.find(id).filter(t -> t.status().terminal()).ifPresent(this::changed);
            } catch (RuntimeException e) {
                // the store is failing: the deadline still answers
            }
        }
    }

    private void forget(long id, CompletableFuture<Task> done) {
        waiting.computeIfPresent(id, (k, list) -> {
            list.remove(done);
            return list.isEmpty() ? null : list;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
