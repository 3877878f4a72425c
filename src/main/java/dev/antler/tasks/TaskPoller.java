package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.config.TasksConfig;
import dev.antler.core.GatewayException;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives unfinished tasks to an end: every {@code poll_interval_ms}, on the instance holding the
 * {@link PollLease}, asks each channel about its unfinished tasks as their family's {@link PollStrategy} says and
 * applies the answers, then fails and refunds tasks past the timeout. A channel that answers 429 is left alone for
 * a growing pause (its tasks keep their state); one that cannot be reached is left until the next round; an error
 * answer about some tasks does not keep the channel's other tasks from being asked. Unfinished tasks are read from the store each round, so a restarted
 * gateway resumes them.
 */
public final class TaskPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskPoller.class);
    private static final int BATCH = 500;

    private final TaskEngine engine;
    private final Map<String, TaskFamily> families;
    private final ChannelRegistry channels;
    private final PollLease lease;
    private final TasksConfig config;
    private final Clock clock;
    private final Map<Long, Backoff> backoffs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("antler-task-poller").daemon(true).factory());

    public TaskPoller(TaskEngine engine, Map<String, TaskFamily> families, ChannelRegistry channels, PollLease lease,
                      TasksConfig config, Clock clock) {
        this.engine = requireNonNull(engine, "engine");
        this.families = families; // live: families register after the poller is built
        this.channels = requireNonNull(channels, "channels");
        this.lease = requireNonNull(lease, "lease");
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::round, config.pollIntervalMs(), config.pollIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    /** One round, if this instance holds the lease; true if it did. */
    public boolean round() {
        try {
            if (!lease.tryHold()) {
                return false;
            }
            pollOnce();
            sweepOnce();
            return true;
        } catch (RuntimeException e) {
            log.error("task poll round failed: {}", e.toString());
            return false;
        }
    }

    /** Polls every channel with unfinished tasks once; returns the number of changes applied. */
    public int pollOnce() {
        Map<Long, List<Task>> byChannel = new LinkedHashMap<>();
        for (Task t : engine.store().unfinished(BATCH)) {
            byChannel.computeIfAbsent(t.channelId(), id -> new ArrayList<>()).add(t);
        }
        int changes = 0;
        long now = clock.millis();
        for (Map.Entry<Long, List<Task>> entry : byChannel.entrySet()) {
            Backoff backoff = backoffs.get(entry.getKey());
            Channel channel = channels.find(entry.getKey()).orElse(null);
            if ((backoff != null && now < backoff.until) || channel == null) {
                continue;
            }
            changes += pollChannel(channel, entry.getValue(), now);
        }
        return changes;
    }

    private int pollChannel(Channel channel, List<Task> tasks, long now) {
        Map<String, List<Task>> byFamily = new LinkedHashMap<>();
        tasks.forEach(t -> byFamily.computeIfAbsent(t.family(), f -> new ArrayList<>()).add(t));
        int changes = 0;
        for (Map.Entry<String, List<Task>> entry : byFamily.entrySet()) {
            TaskFamily family = families.get(entry.getKey());
            if (family == null) {
                continue;
            }
            PollStrategy strategy = family.polling();
            List<Task> due = entry.getValue().stream().filter(t -> strategy.due(t, now)).toList();
            for (int from = 0; from < due.size(); from += strategy.maxPerCall()) {
                List<Task> call = due.subList(from, Math.min(due.size(), from + strategy.maxPerCall()));
                Map<String, TaskUpdate> updates;
                try {
                    updates = family.poll(channel, call);
                    backoffs.remove(channel.id());
                } catch (TaskFamily.UpstreamBusy busy) {
                    Backoff previous = backoffs.get(channel.id());
                    long pause = previous == null ? config.pollIntervalMs()
                            : Math.min(previous.pauseMs * 2, config.maxBackoffMs());
                    backoffs.put(channel.id(), new Backoff(now + pause, pause));
                    log.info("channel {} answered 429 to a task poll; pausing its polling for {} ms", channel.name(),
                            pause);
                    return changes;
                } catch (GatewayException unreachable) {
                    // The channel did not answer (a transport failure): asking it about its next task would wait
                    // the same timeouts again; the next round tries it.
                    log.warn("task poll of channel {} failed: {}", channel.name(), unreachable.toString());
                    break;
                } catch (RuntimeException e) {
                    // The channel answered, with an error about this call's tasks: its other tasks are still asked.
                    log.warn("task poll of channel {} failed for {} task(s): {}", channel.name(), call.size(),
                            e.toString());
                    continue;
                }
                for (Task t : call) {
                    TaskUpdate update = updates.get(t.upstreamId());
                    if (update != null && engine.apply(t, update).isPresent()) {
                        changes++;
                    }
                }
            }
        }
        return changes;
    }

    /** Fails and refunds tasks unfinished past the timeout; returns how many this call ended. */
    public int sweepOnce() {
        long cutoff = clock.millis() - TimeUnit.SECONDS.toMillis(config.timeoutSeconds());
        int ended = 0;
        for (Task t : engine.store().unfinishedBefore(cutoff, BATCH)) {
            if (engine.apply(t, TaskUpdate.failure("timeout: task unfinished after " + config.timeoutSeconds()
                    + " s (expected: the upstream to finish it sooner)")).isPresent()) {
                ended++;
            }
        }
        return ended;
    }

    /** True while polling of {@code channelId} is paused after a 429. */
    public boolean backingOff(long channelId) {
        Backoff backoff = backoffs.get(channelId);
        return backoff != null && clock.millis() < backoff.until;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            lease.release();
        } catch (RuntimeException e) {
            log.debug("lease not released: {}", e.toString());
        }
    }

    private record Backoff(long until, long pauseMs) {}
}
