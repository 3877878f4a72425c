package dev.antler.cluster;

import static java.util.Objects.requireNonNull;

import dev.antler.cluster.ChangeNotices.Kind;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import dev.antler.routing.ChannelRegistry;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Circuit breakers shared by the instances: an opening or close of this instance's breaker (by its own requests)
 * is published as a {@link Kind#BREAKER} notice, and another instance's is applied to the breaker here ({@link
 * ChannelHealth} says how). A breaker's state is not stored, so the notice carries it, in its id:
 * {@code <channel id>@<ms the breaker stays open>@<mark>} or {@code <channel id>@closed@<mark>}, the mark naming
 * that one opening or close (random), so a notice delivered twice changes nothing the second time. The time is a
 * duration, not a moment: the instances' clocks need not agree; it is counted again from when the notice is
 * taken to be published, so a notice that waited for the store is not held for longer than it has left.
 * Applying never publishes: what was heard is not told again. While this instance is alone nothing is published
 * (an instance that starts later begins with its breakers closed), so a lone gateway writes no rows for them.
 */
public final class BreakerNotices implements ChannelHealth.BreakerListener {

    private static final Logger log = LoggerFactory.getLogger(BreakerNotices.class);
    private static final String CLOSED = "closed";

    private final ChannelRegistry registry;
    private final ChangeNotices notices;
    private final Executor publishing;
    private final Clock clock;
    private final IntSupplier liveInstances;

    /**
     * {@code publishing} runs the (blocking) publishes one at a time, in order, off the event loop;
     * {@code liveInstances} counts the instances sharing the store, this one included.
     */
    BreakerNotices(ChannelRegistry registry, ChangeNotices notices, Executor publishing, Clock clock,
                   IntSupplier liveInstances) {
        this.registry = requireNonNull(registry, "registry");
        this.notices = requireNonNull(notices, "notices");
        this.publishing = requireNonNull(publishing, "publishing");
        this.clock = requireNonNull(clock, "clock");
        this.liveInstances = requireNonNull(liveInstances, "liveInstances");
    }

    @Override
    public void opened(long channelId, long openMs) {
        if (liveInstances.getAsInt() < 2) {
            return;
        }
        long openedAt = clock.millis();
        publishing.execute(() -> {
            long left = openMs - (clock.millis() - openedAt);
            if (left > 0) {
                notices.publish(Kind.BREAKER, channelId + "@" + left + "@" + mark());
            }
        });
    }

    @Override
    public void closed(long channelId) {
        if (liveInstances.getAsInt() < 2) {
            return;
        }
        publishing.execute(() -> notices.publish(Kind.BREAKER, channelId + "@" + CLOSED + "@" + mark()));
    }

    /** Applies another instance's notice {@code id} to this instance's breaker; logs each one heard once. */
    public void apply(String id) {
        String[] parts = id.split("@", 3);
        if (parts.length < 3) {
            return; // not of this format (a newer instance's): nothing to apply
        }
        ChannelHealth health = registry.health();
        try {
            long channelId = Long.parseLong(parts[0]);
            if (parts[1].equals(CLOSED)) {
                if (health.heardClosed(channelId, parts[2])) {
                    log.info("channel {}: circuit breaker closed: another instance's request to it succeeded",
                            name(channelId));
                }
            } else if (health.heardOpened(channelId, Long.parseLong(parts[1]), parts[2])) {
                log.warn("channel {}: circuit breaker opened on another instance; skipped here too (open there for "
                        + "{} ms more)", name(channelId), parts[1]);
            }
        } catch (NumberFormatException e) {
            // likewise
        }
    }

    private String name(long channelId) {
        return registry.find(channelId).map(Channel::name).orElse("#" + channelId);
    }

    private static String mark() {
        return Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }
}
