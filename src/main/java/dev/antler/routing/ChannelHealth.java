package dev.antler.routing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The circuit breakers of all channels, and the hook that disables a channel whose upstream refused
 * its credentials or billing. Routing asks {@link #tryAcquire} before each attempt; the relay reports
 * each attempt's outcome. Time comes from the injected clock, so tests need not sleep.
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

    /** What the admin sees of a channel's health. */
    public record View(String state, int recentFailures, Long coolUntil) {}

    private final Clock clock;
    private final Settings settings;
    private final Map<Long, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private volatile BiConsumer<Channel, String> disabler = (channel, reason) -> {};

    public ChannelHealth(Clock clock, Settings settings) {
        this.clock = requireNonNull(clock, "clock");
        this.settings = requireNonNull(settings, "settings");
    }

    /** Called with a channel and the reason when the upstream refused the channel's key or billing. */
    public void onDisable(BiConsumer<Channel, String> disabler) {
        this.disabler = requireNonNull(disabler, "disabler");
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
        breaker(channel.id()).onSuccess();
    }

    public void onFailure(Channel channel) {
        breaker(channel.id()).onFailure(clock.millis());
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
            return new View("closed", 0, null);
        }
        long now = clock.millis();
        long coolUntil = b.coolUntil();
        return new View(b.state(now).name().toLowerCase(java.util.Locale.ROOT), b.recentFailures(),
                coolUntil > now && coolUntil != Long.MAX_VALUE ? coolUntil : null);
    }

    private CircuitBreaker breaker(long channelId) {
        return breakers.computeIfAbsent(channelId,
                id -> new CircuitBreaker(settings.failures(), settings.windowMs(), settings.openMs()));
    }
}
