package dev.antler.admin;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answer schemas of the admin API's description that name their fields (the others are described as JSON
 * objects, with each field in docs/admin-api.md): prices, with the built-in default beside them, and task counts.
 */
final class AdminSchemas {

    /** Schema names by "METHOD pattern" of the endpoints whose success answer they describe. */
    static final Map<String, String> ANSWERS = Map.of(
            "GET prices", "PriceList",
            "GET prices/{model*}", "Price",
            "PUT prices/{model*}", "Price",
            "GET tasks/summary", "TaskCounts");

    private static final List<String> PRICE_COMPONENTS = List.of("input_per_mtok", "output_per_mtok",
            "cached_input_per_mtok", "cache_write_per_mtok", "per_image", "per_call", "per_second");

    private AdminSchemas() {}

    static void addTo(ObjectNode schemas) {
        ObjectNode price = schemas.putObject("Price").put("type", "object");
        price.putArray("required").add("model").add("source").add("default");
        ObjectNode properties = price.putObject("properties");
        properties.putObject("model").put("type", "string");
        properties.putObject("source").putArray("enum").add("default").add("override");
        putComponents(properties);
        ObjectNode builtIn = properties.putObject("default")
                .put("description", "The model's built-in price, or null when it has none");
        builtIn.putArray("type").add("object").add("null");
        putComponents(builtIn.putObject("properties"));

        ObjectNode list = schemas.putObject("PriceList").put("type", "object");
        list.putArray("required").add("data");
        list.putObject("properties").putObject("data").put("type", "array").putObject("items")
                .put("$ref", "#/components/schemas/Price");

        ObjectNode counts = schemas.putObject("TaskCounts").put("type", "object");
        counts.putArray("required").add("data").add("total");
        ObjectNode countProperties = counts.putObject("properties");
        ObjectNode row = countProperties.putObject("data").put("type", "array").putObject("items").put("type", "object");
        row.putArray("required").add("family").add("status").add("tasks");
        ObjectNode rowProperties = row.putObject("properties");
        rowProperties.putObject("family").put("type", "string");
        rowProperties.putObject("status").put("type", "string");
        rowProperties.putObject("tasks").put("type", "integer").put("minimum", 1);
        countProperties.putObject("total").put("type", "integer").put("minimum", 0);
    }

    private static void putComponents(ObjectNode properties) {
        for (String component : PRICE_COMPONENTS) {
            properties.putObject(component).put("type", "number").put("description", "USD");
        }
    }
}
