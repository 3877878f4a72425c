package dev.antler.replicate;

import static java.util.Objects.requireNonNull;

import dev.antler.tasks.Task;
import dev.antler.tasks.Tasks;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@code Prefer: wait=n}: the answer to a new prediction is held until it ends or n seconds from the request's
 * arrival have passed, then it is the prediction as it stands (finished or not, as Replicate's own wait). Nothing
 * blocks meanwhile: timers on the event loop, and a look upstream (through the engine, so a completion seen here
 * settles exactly as a poll would) on a virtual thread, after 250 ms, then at doubling pauses up to 1 s. At the
 * deadline the stored state answers even if a look upstream is still under way.
 */
final class PreferWait {

    private static final long FIRST_PAUSE_MS = 250;
    private static final long MAX_PAUSE_MS = 1000;

    private final Vertx vertx;
    private final Executor blocking;
    private final Tasks tasks;
    private final ReplicateTasks family;

    PreferWait(Vertx vertx, Executor blocking, Tasks tasks, ReplicateTasks family) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.blocking = requireNonNull(blocking, "blocking");
        this.tasks = requireNonNull(tasks, "tasks");
        this.family = requireNonNull(family, "family");
    }

    /** The answer for {@code task}, when it ends or at {@code until} ({@link System#nanoTime()}). */
    CompletionStage<byte[]> hold(Task task, long until) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        long leftMs = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
        if (leftMs <= 0) {
            answer.complete(family.render(task));
            return answer;
        }
        long deadline = vertx.setTimer(leftMs, id -> blocking.execute(() -> answerNow(task.id(), answer)));
        answer.whenComplete((body, failure) -> vertx.cancelTimer(deadline));
        schedule(task.id(), until, FIRST_PAUSE_MS, answer);
        return answer;
    }

    private void schedule(long taskId, long until, long pause, CompletableFuture<byte[]> answer) {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
        if (answer.isDone() || leftMs <= pause) {
            return; // the deadline's timer answers
        }
        vertx.setTimer(pause, id -> blocking.execute(() -> look(taskId, until, pause, answer)));
    }

    private void look(long taskId, long until, long pause, CompletableFuture<byte[]> answer) {
        if (answer.isDone()) {
            return;
        }
        try {
            Task task = tasks.store().find(taskId).orElseThrow();
            if (!task.status().terminal()) {
                task = tasks.refresh().refresh(task, family::fetch).task();
            }
            if (task.status().terminal()) {
                answer.complete(family.render(task));
            } else {
                schedule(taskId, until, Math.min(pause * 2, MAX_PAUSE_MS), answer);
            }
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
    }

    private void answerNow(long taskId, CompletableFuture<byte[]> answer) {
        if (answer.isDone()) {
            return;
        }
        try {
            answer.complete(family.render(tasks.store().find(taskId).orElseThrow()));
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
    }
}
