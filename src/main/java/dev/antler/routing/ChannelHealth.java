package dev.antler.routing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * The circuit breakers of all channels, and the hook that disables a channel whose upstream refused
 * its credentials or billing. Routing asks {@link #tryAcquire} before each attempt; the relay reports
 * each attempt's outcome. Time comes from the injected clock, so tests need not sleep.
 *
 * <p>Several instances: a breaker this instance's requests open or close is told to the {@link BreakerListener}
 * (which tells the others); another instance's opening {@linkplain #heardOpened holds} the breaker here open for
 * the time it has left, plus a random quarter to half of {@code openMs}. That extra makes the instance that opened
 * it probe first, and the others hear how its probe went: a success {@linkplain #heardClosed closes} what they
 * held, a failure opens it there again and holds them again. So a dead channel is probed about once per
 * {@code openMs} by the group, not by every instance at once, and a channel that came back is used again by
 * every instance as soon as one sees it answer; should no one tell, a held breaker probes by itself when its
 * hold ends (and random holds part instances whose breakers opened at the same moment).
 */
public final class ChannelHealth {

    /** Breaker settings: open after {@code failures} failures within {@code windowMs}; probe after {@code openMs}. */
    public record Settings(int failures, long windowMs, long openMs, long maxRetryAfterMs) {

        public static final Settings DEFAULTS = new Settings(5, 60_000, 30_000, 600_000);

        public Settings {
            if (failures < 1 || windowMs < 1 || openMs < 1 || maxRetryAfterMs < 0) {
                throw new IllegalArgumentException("health: " + failures + " failures / " + windowMs + " ms window / "
                        + openMs + " ms open (expected: each >= 1)");
            }
        }
    }

    /** How the reason of a channel the gateway disabled itself begins. */
    public static final String AUTO_DISABLED = "auto-disabled: ";

    /** Whether the gateway disabled {@code channel} itself (a passing scheduled test re-enables it). */
    public static boolean isAutoDisabled(Channel channel) {
        return channel.status() == dev.antler.accounts.Status.DISABLED && channel.statusReason() != null
                && channel.statusReason().startsWith(AUTO_DISABLED);
    }

    /**
     * What the admin sees of a channel's health; {@code openedElsewhere}: open (or half-open) because another
     * instance's breaker opened.
     */
    public record View(String state, int recentFailures, Long coolUntil, boolean openedElsewhere) {}

    /** Told what this instance's own requests did to a breaker, on the thread that reported them: must not block. */
    public interface BreakerListener {

        /** {@code channelId}'s breaker opened here: requests are refused for {@code openMs}. */
        void opened(long channelId, long openMs);

        /** {@code channelId}'s breaker closed here: a request to the channel succeeded. */
        void closed(long channelId);
    }

    private final Clock clock;
    private final Settings settings;
    private final Map<Long, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private volatile BiConsumer<Channel, String> disabler = (channel, reason) -> {};
    private volatile BreakerListener breakerListener = new BreakerListener() {
        @Override
        public void opened(long channelId, long openMs) {}

        @Override
        public void closed(long channelId) {}
    };

    public ChannelHealth(Clock clock, Settings settings) {
        this.clock = requireNonNull(clock, "clock");
        this.settings = requireNonNull(settings, "settings");
    }

    /** Called with a channel and the reason when the upstream refused the channel's key or billing. */
    public void onDisable(BiConsumer<Channel, String> disabler) {
        this.disabler = requireNonNull(disabler, "disabler");
    }

    /** Told of every breaker this instance's requests open or close (to tell the other instances). */
    public void onBreakerChange(BreakerListener listener) {
        this.breakerListener = requireNonNull(listener, "listener");
    }

    /** Whether a request may be sent to {@code channel} now (claims the probe of a half-open breaker). */
    public boolean tryAcquire(Channel channel) {
        return breaker(channel.id()).tryAcquire(clock.millis());
    }

    /**
     * Milliseconds until {@code channel} may be tried again: 0 if now, {@link Long#MAX_VALUE} if it was
     * taken out of routing; while a half-open breaker's probe is under way, one second.
     */
    public long waitMillis(Channel channel) {
        CircuitBreaker b = breakers.get(channel.id());
        return b == null ? 0 : b.waitMillis(clock.millis(), 1_000);
    }

    public void onSuccess(Channel channel) {
        if (breaker(channel.id()).onSuccess() == CircuitBreaker.Change.CLOSED) {
            breakerListener.closed(channel.id());
        }
    }

    public void onFailure(Channel channel) {
        if (breaker(channel.id()).onFailure(clock.millis()) == CircuitBreaker.Change.OPENED) {
            breakerListener.opened(channel.id(), settings.openMs());
        }
    }

    /**
     * Another instance's breaker of {@code channelId} opened with {@code remainingMs} left (at most this instance's
     * own {@code openMs} is taken): held open here for that plus a random quarter to half of {@code openMs}.
     * {@code mark} names the opening: false when it was heard already (nothing changes).
     */
    public boolean heardOpened(long channelId, long remainingMs, String mark) {
        long openMs = settings.openMs();
        long extra = ThreadLocalRandom.current().nextLong(openMs / 4, openMs / 2 + 1);
        long hold = Math.min(Math.max(remainingMs, 0), openMs) + extra;
        return breaker(channelId).hold(clock.millis() + hold, requireNonNull(mark, "mark"));
    }

    /**
     * Another instance's breaker of {@code channelId} closed ({@code mark} names the close): closes the breaker
     * here if it was held open by another instance's opening. False when nothing changed.
     */
    public boolean heardClosed(long channelId, String mark) {
        CircuitBreaker b = breakers.get(channelId);
        return b != null && b.release(requireNonNull(mark, "mark"));
    }

    public void onAbandoned(Channel channel) {
        breaker(channel.id()).onAbandoned();
    }

    /** The upstream asked not to be called for {@code delayMs} (Retry-After); capped by the settings. */
    public void coolDown(Channel channel, long delayMs) {
        long delay = Math.min(Math.max(delayMs, 0), settings.maxRetryAfterMs());
        breaker(channel.id()).coolDown(clock.millis() + delay);
    }

    /** The upstream refused the channel's credentials or billing: take it out of routing. */
    public void disable(Channel channel, String reason) {
        // Out of routing at once, before the stored status catches up.
        breaker(channel.id()).coolDown(Long.MAX_VALUE);
        disabler.accept(channel, reason);
    }

    /** A channel passed a test or was re-enabled: forget its failures. */
    public void reset(long channelId) {
        breakers.remove(channelId);
    }

    public View view(long channelId) {
        CircuitBreaker b = breakers.get(channelId);
        if (b == null) {
            return new View("closed", 0, null, false);
        }
        long now = clock.millis();
        long coolUntil = b.coolUntil();
        return new View(b.state(now).name().toLowerCase(java.util.Locale.ROOT), b.recentFailures(),
                coolUntil > now && coolUntil != Long.MAX_VALUE ? coolUntil : null, b.held());
    }

    private CircuitBreaker breaker(long channelId) {
        return breakers.computeIfAbsent(channelId,
                id -> new CircuitBreaker(settings.failures(), settings.windowMs(), settings.openMs()));
    }
}
