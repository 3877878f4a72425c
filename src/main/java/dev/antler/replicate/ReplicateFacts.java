package dev.antler.replicate;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a Replicate task keeps: in its {@code request} facts the client's side ({@code model}, the pinned
 * {@code version}, {@code input}, the webhook {@code events}, the {@code billing} and the link facts of
 * {@link dev.antler.tasks.ResultLinks}); in its
 * {@code payload} the upstream's last report, trimmed to what the Prediction shows ({@link #REPORTED}), plus
 * {@code _events}, the webhook events of the change that stored it.
 */
final class ReplicateFacts {

    /** The upstream's fields kept: never its id, its urls (its host) or the input it echoes. */
    static final List<String> REPORTED = List.of("status", "output", "logs", "error", "metrics", "data_removed");
    static final String EVENTS = "_events";
    /** A data: URI in the input longer than this is kept as its length only: the upstream has the bytes. */
    static final int MAX_KEPT_DATA_URI = 1024;

    private ReplicateFacts() {}

    static ObjectNode request(ReplicateRequest request) {
        ObjectNode facts = request.links().deepCopy();
        facts.put("model", request.model());
        if (request.version() != null) {
            facts.put("version", request.version());
        }
        facts.set("input", shortened(request.input()));
        ArrayNode events = facts.putArray("events");
        request.events().forEach(events::add);
        facts.put("billing", request.billing().factName());
        return facts;
    }

    /** The upstream's prediction trimmed to {@link #REPORTED}, with the events of this change. */
    static ObjectNode reported(JsonNode prediction, List<String> events) {
        ObjectNode kept = Json.object();
        for (String field : REPORTED) {
            if (prediction.has(field)) {
                kept.set(field, prediction.get(field));
            }
        }
        ArrayNode list = kept.putArray(EVENTS);
        events.forEach(list::add);
        return kept;
    }

    static JsonNode of(Task task) {
        return task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
    }

    static JsonNode payload(Task task) {
        return task.payload() == null ? Json.object() : Json.MAPPER.readTree(task.payload());
    }

    static Billing billing(Task task) {
        return Billing.ofFact(of(task).path("billing").asString(""));
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString("")));
        return values;
    }

    private static JsonNode shortened(JsonNode node) {
        if (node.isString() && node.asString().length() > MAX_KEPT_DATA_URI
                && node.asString().regionMatches(true, 0, "data:", 0, 5)) {
            String text = node.asString();
            int comma = text.indexOf(',');
            String head = comma > 0 && comma < 200 ? text.substring(0, comma) : "data:";
            return JsonNodeFactory.instance.stringNode(head + ",(" + text.length() + " characters)");
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.forEach(child -> copy.add(shortened(child)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            node.properties().forEach(e -> copy.set(e.getKey(), shortened(e.getValue())));
            return copy;
        }
        return node;
    }
}
