package dev.antler.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies environment overrides to the parsed config tree before it is bound to records.
 *
 * <p>The variable name is {@code ANTLER_} followed by the snake_case path in upper case, with list
 * indices and map keys as segments and any character outside {@code [A-Z0-9]} turned into
 * {@code _}: {@code ANTLER_SERVER_PORT}, {@code ANTLER_DATABASE_URL}, {@code ANTLER_ADMIN_KEY},
 * {@code ANTLER_CHANNELS_0_KEY}, {@code ANTLER_PRICES_GPT_4O_MINI_INPUT_PER_MTOK}. List values
 * (models, groups) are given comma-separated. Paths come from the record schema, so a variable
 * can set a key the file leaves out; list elements and map entries must exist in the file.
 */
final class EnvOverrides {

    static final String PREFIX = "ANTLER";

    private final Function<String, String> env;

    EnvOverrides(Function<String, String> env) {
        this.env = env;
    }

    void apply(ObjectNode root) {
        applyRecord(root, AntlerConfig.class, PREFIX);
    }

    private void applyRecord(ObjectNode node, Class<?> recordType, String prefix) {
        for (RecordComponent component : recordType.getRecordComponents()) {
            String key = ConfigLoader.snakeCase(component.getName());
            String name = prefix + "_" + segment(key);
            Type type = component.getGenericType();
            Class<?> raw = component.getType();
            if (raw.isRecord()) {
                ObjectNode child = node.get(key) instanceof ObjectNode existing ? existing : node.objectNode();
                applyRecord(child, raw, name);
                if (!child.isEmpty()) {
                    node.set(key, child);
                }
            } else if (java.util.List.class.isAssignableFrom(raw) && elementType(type, 0).isRecord()) {
                if (node.get(key) instanceof ArrayNode array) {
                    for (int i = 0; i < array.size(); i++) {
                        if (array.get(i) instanceof ObjectNode element) {
                            applyRecord(element, elementType(type, 0), name + "_" + i);
                        }
                    }
                }
            } else if (Map.class.isAssignableFrom(raw) && elementType(type, 1).isRecord()) {
                if (node.get(key) instanceof ObjectNode map) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> entry = it.next();
                        if (entry.getValue() instanceof ObjectNode element) {
                            applyRecord(element, elementType(type, 1), name + "_" + segment(entry.getKey()));
                        }
                    }
                }
            } else {
                String value = env.apply(name);
                if (value != null) {
                    node.set(key, scalar(raw, value));
                }
            }
        }
    }

    private static JsonNode scalar(Class<?> type, String value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (java.util.List.class.isAssignableFrom(type)) {
            ArrayNode array = nodes.arrayNode();
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    array.add(item.trim());
                }
            }
            return array;
        }
        return nodes.stringNode(value);
    }

    private static Class<?> elementType(Type type, int index) {
        if (type instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments().length > index
                && parameterized.getActualTypeArguments()[index] instanceof Class<?> element) {
            return element;
        }
        return Object.class;
    }

    static String segment(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
