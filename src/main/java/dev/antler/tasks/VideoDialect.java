package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.relay.ClientRequest;
import dev.antler.routing.Channel;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * How one video family takes new-api's generic video route: which models it claims, how a generic request becomes
 * the family's own request (run by the family's own submit, so its task is the family's: polled, settled and
 * refunded as any other of its tasks), and how a task of the family reads in the generic envelope. A family
 * registers its dialect from its {@code mount} ({@link VideoDialects#add}); no family names another.
 */
public interface VideoDialect {

    /** The family whose tasks this dialect opens ({@link Task#family()}). */
    String family();

    /** The channel types the family's submits go to. */
    Set<String> channelTypes();

    /** Whether the family takes {@code model}. */
    boolean claims(String model);

    /** Whether this dialect takes what no other claims (it answers 404 itself for a model none of its channels serve). */
    default boolean fallback() {
        return false;
    }

    /**
     * The family's own request and submit for {@code video}: a 400 naming the generic field when a value cannot
     * be the family's. {@code client} is the generic request (its headers and address, for the synthetic one).
     */
    Own<?> own(GenericVideo video, ClientRequest client);

    /** The upstream's current view of {@code task} on {@code channel}, or null when it gave none; blocking. */
    TaskUpdate fetch(Channel channel, Task task);

    /**
     * The task's {@code url}, {@code format}, {@code metadata{duration, fps, width, height, seed}} and
     * {@code error} for the generic envelope ({@code task_id} and {@code status} are the route's);
     * {@code publicBaseUrl} is the gateway's external base URL, for links it serves itself.
     */
    ObjectNode view(Task task, String publicBaseUrl);

    /** A family's own submit with the synthetic request it is to inspect. */
    record Own<D>(TaskSubmit<D> submit, ClientRequest request) {

        public Own {
            requireNonNull(submit, "submit");
            requireNonNull(request, "request");
        }
    }
}
