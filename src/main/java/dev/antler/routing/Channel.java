package dev.antler.routing;

import dev.antler.accounts.Status;
import java.util.Map;
import java.util.Set;

/**
 * An upstream channel: a provider base URL and key, the models it serves and the groups it serves
 * them to. {@code apiKey} is a secret: it is sent upstream and nowhere else (see {@link #toString()}).
 *
 * @param models empty means every model of the channel's family
 */
public record Channel(long id, String name, String type, String baseUrl, String apiKey, Set<String> models,
                      Map<String, String> modelMapping, int priority, int weight, Set<String> groups,
                      Status status, String statusReason) {

    public boolean serves(String model) {
        return models.isEmpty() || models.contains(model);
    }

    /** The model name to send upstream for the client's {@code model}. */
    public String upstreamModel(String model) {
        return modelMapping.getOrDefault(model, model);
    }

    @Override
    public String toString() {
        return "Channel[" + id + " " + name + " " + type + " " + baseUrl + "]";
    }
}
