package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;

/**
 * A client's read of an unfinished task asks its upstream once first (the poller may be a round behind) and
 * applies what it says through the engine, so a change seen here moves money exactly as a poll would. When the
 * upstream cannot be asked or fails, the stored state still answers; the poller catches up.
 */
public final class TaskRefresh {

    /** One task's upstream view, or null when the upstream gave none; blocking. */
    @FunctionalInterface
    public interface Fetch {
        TaskUpdate fetch(Channel channel, Task task);
    }

    /**
     * What a refresh found.
     *
     * @param task      the task as stored after it
     * @param channelId the channel asked, or null when none was (a finished task, a channel gone)
     * @param error     why the upstream's answer is not in it, or null
     */
    public record Refreshed(Task task, Long channelId, String error) {}

    private final TaskEngine engine;
    private final ChannelRegistry channels;

    TaskRefresh(TaskEngine engine, ChannelRegistry channels) {
        this.engine = requireNonNull(engine, "engine");
        this.channels = requireNonNull(channels, "channels");
    }

    public Refreshed refresh(Task task, Fetch fetch) {
        Channel channel = task.status().terminal() ? null : channels.find(task.channelId()).orElse(null);
        if (channel == null) {
            return new Refreshed(task, null, null);
        }
        String error = null;
        try {
            TaskUpdate update = fetch.fetch(channel, task);
            if (update != null) {
                engine.apply(task, update);
            }
        } catch (RuntimeException e) {
            error = "refresh: " + e.getMessage();
        }
        return new Refreshed(engine.store().find(task.id()).orElse(task), channel.id(), error);
    }

}
