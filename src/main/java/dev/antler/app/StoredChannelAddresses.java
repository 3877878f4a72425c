package dev.antler.app;

import dev.antler.accounts.Status;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import dev.antler.routing.ChannelStore;
import dev.antler.security.BaseUrlGuard;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, holds the stored channels to the current {@code security.allow_private_base_urls}: a
 * channel whose base URL the guard now refuses (stored while private addresses were allowed, or a
 * name that now resolves to one) is disabled with the reason shown to the admin, and logged once; a
 * channel disabled for that reason whose base URL is allowed again is enabled again. Channels the
 * admin disabled stay as they are. Blocking (resolves names): runs before the gateway serves.
 */
final class StoredChannelAddresses {

    /** How the reason of a channel disabled for its base URL begins. */
    static final String REFUSED = "address-refused: ";

    private static final Logger log = LoggerFactory.getLogger(StoredChannelAddresses.class);

    private StoredChannelAddresses() {}

    static void recheck(ChannelStore channels, BaseUrlGuard guard) {
        for (Channel channel : channels.list()) {
            Optional<String> refusal = channel.baseUrl().isBlank() ? Optional.empty()
                    : guard.refusal(channel.baseUrl());
            boolean refusedBefore = channel.status() == Status.DISABLED && channel.statusReason() != null
                    && channel.statusReason().startsWith(REFUSED);
            // an auto-disabled channel is taken over too: a passing scheduled test would enable it again
            boolean routable = channel.status() == Status.ACTIVE || ChannelHealth.isAutoDisabled(channel);
            if (refusal.isPresent() && routable) {
                String reason = REFUSED + "base_url: " + channel.baseUrl() + " (expected: " + refusal.get() + ")";
                log.warn("channel {} disabled: {}", channel.name(), reason);
                channels.setStatus(channel.id(), Status.DISABLED, reason);
            } else if (refusal.isEmpty() && refusedBefore) {
                log.info("channel {} enabled again: its base_url is allowed", channel.name());
                channels.setStatus(channel.id(), Status.ACTIVE, null);
            }
        }
    }
}
