package dev.antler.replicate;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Status;
import dev.antler.billing.Price;
import dev.antler.billing.PriceBook;
import dev.antler.core.GatewayException;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the gateway offers of Replicate: which model a client's {@code version} names, which channels serve a model,
 * and its price. A model is {@code owner/name}. A bare version id names no model the gateway could price or route
 * by, so it is accepted only when the operator said what it is, in a {@code replicate} channel:
 * <ul>
 *   <li>listed in the channel's {@code models}: the version id is then a model of its own (served only by channels
 *       listing it, priced at {@code replicate/<version id>});</li>
 *   <li>or named in the channel's {@code model_mapping} as the version of a model
 *       ({@code "owner/name": "<version id>"} or {@code "owner/name:<version id>"}, which also pins that model to
 *       the version on that channel): the prediction is then that model's, pinned to the version.</li>
 * </ul>
 * Any other bare version id is a 404, as is a model with no price or no channel.
 */
final class ReplicateCatalog {

    /** A client's {@code version} read: the model to route and price by, and the version pinned (or null). */
    record Target(String model, String version) {}

    private final ChannelRegistry channels;
    private final PriceBook prices;
    private final Set<String> types;

    ReplicateCatalog(ChannelRegistry channels, PriceBook prices, String type) {
        this.channels = requireNonNull(channels, "channels");
        this.prices = requireNonNull(prices, "prices");
        this.types = Set.of(type);
    }

    /** What {@code version} (checked by {@link ReplicateInput#version}) names. */
    Target target(String version) {
        if (ReplicateInput.MODEL.matcher(version).matches()) {
            return new Target(version, null);
        }
        int colon = version.indexOf(':');
        if (colon > 0) {
            return new Target(version.substring(0, colon), version.substring(colon + 1));
        }
        for (Channel channel : active()) {
            if (channel.models().contains(version)) {
                return new Target(version, version);
            }
        }
        for (Channel channel : active()) {
            for (Map.Entry<String, String> mapping : channel.modelMapping().entrySet()) {
                String to = mapping.getValue();
                if ((to.equals(version) || to.endsWith(":" + version))
                        && ReplicateInput.MODEL.matcher(mapping.getKey()).matches()) {
                    return new Target(mapping.getKey(), version);
                }
            }
        }
        throw GatewayException.notFound("version_not_found", "version: " + version + " (expected: owner/name, "
                + "owner/name:<version id>, or a version id this gateway offers)");
    }

    /** {@code model}'s price: {@code replicate/<model>}, else one set under the model's own name. */
    Optional<Price> price(String model) {
        return prices.find(ReplicatePrices.PREFIX + model).or(() -> prices.find(model));
    }

    /** The price of {@code model}, or the 404 a client of Replicate gets for a model that does not exist. */
    Price priceOrNotFound(String model) {
        return price(model).orElseThrow(() -> GatewayException.notFound("model_not_found", "model: " + model
                + " (expected: a model this gateway offers; no price is set for it)"));
    }

    /**
     * The channels serving {@code model} to {@code group}: those naming it, then catch-all ones; a version id only
     * by channels listing it.
     */
    List<List<Channel>> tiers(String group, String model) {
        if (ReplicateInput.MODEL.matcher(model).matches()) {
            return channels.tiers(group, model, types);
        }
        return channels.tiers(group, types, c -> c.models().contains(model));
    }

    private List<Channel> active() {
        return channels.all().stream().filter(c -> types.contains(c.type()) && c.status() == Status.ACTIVE).toList();
    }
}
