package dev.antler.health;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Status;
import dev.antler.cluster.ChangeNotices;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.routing.ChannelStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disables and re-enables channels on the gateway's own judgement: the status and its reason are
 * stored, and the routing snapshot replaced so the next request routes by them.
 */
public final class ChannelSwitch {

    private static final Logger log = LoggerFactory.getLogger(ChannelSwitch.class);

    private final Vertx vertx;
    private final ChannelStore store;
    private final ChannelRegistry registry;
    private final ChangeNotices notices;

    /** {@code notices} tells the other instances sharing the store to re-read the channel. */
    public ChannelSwitch(Vertx vertx, ChannelStore store, ChannelRegistry registry, ChangeNotices notices) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.store = requireNonNull(store, "store");
        this.registry = requireNonNull(registry, "registry");
        this.notices = requireNonNull(notices, "notices");
    }

    /** Takes {@code channel} out of routing, with {@code reason} shown to the admin. */
    public Future<Void> disable(Channel channel, String reason) {
        log.warn("channel {} disabled: {}", channel.name(), reason);
        return write(channel, Status.DISABLED, reason);
    }

    public Future<Void> enable(Channel channel) {
        log.info("channel {} re-enabled: its test passed", channel.name());
        registry.health().reset(channel.id());
        return write(channel, Status.ACTIVE, null);
    }

    private Future<Void> write(Channel channel, Status status, String reason) {
        return vertx.executeBlocking(() -> {
            synchronized (registry) {
                store.setStatus(channel.id(), status, reason);
                registry.replace(store.list());
            }
            notices.publish(ChangeNotices.Kind.CHANNEL, channel.name());
            return null;
        });
    }
}
