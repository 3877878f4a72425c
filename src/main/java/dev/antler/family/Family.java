package dev.antler.family;

import dev.antler.billing.Price;
import dev.antler.http.ErrorFormat;
import dev.antler.tasks.Task;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A provider family as a plug-in: everything the gateway needs to know about it, in one place. A family
 * is listed once in {@link Families#builtIn()}; nothing outside its package names it.
 */
public interface Family {

    /** The family's name, e.g. {@code openai}; unique among the families. */
    String name();

    /** The channel types the family's routes send to; their names are unique among all families. */
    List<ChannelType> channelTypes();

    /** The family's error envelope, which its routes answer in. */
    ErrorFormat errors();

    /**
     * Built-in list prices (USD) by price key, used when neither the config file nor the admin API sets
     * one. A key belongs to one family: two families defining it is a start-up error.
     */
    default Map<String, Price> defaultPrices() {
        return Map.of();
    }

    /**
     * Registers the family's routes on {@code context.routes()}; a family with async tasks also registers
     * its {@code TaskFamily} with {@code context.tasks()}. Called once, before the gateway serves.
     */
    void mount(FamilyContext context);

    /**
     * What the admin API shows of one of the family's tasks beyond the engine's own fields, as its {@code facts}
     * (e.g. what the provider reported it billed, for reconciliation); null for nothing. Runs off the event loop.
     */
    default ObjectNode adminFacts(Task task) {
        return null;
    }
}
