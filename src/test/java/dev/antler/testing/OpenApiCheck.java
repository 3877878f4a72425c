package dev.antler.testing;

import dev.antler.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Checks answers against an OpenAPI 3.1 description (the admin API's {@code /api/openapi.json}): the operation is
 * described, the answer's status is listed for it, and its JSON body has the schema's types, required fields, enum
 * values and item shapes, recursively (local {@code $ref}s followed). Each disagreement is returned as one line.
 */
public final class OpenApiCheck {

    private final JsonNode spec;

    public OpenApiCheck(JsonNode spec) {
        this.spec = spec;
    }

    /**
     * What is wrong with {@code body} as the answer {@code status} to {@code method path}; empty when nothing. A null
     * body (not kept whole) is checked for its status only.
     */
    public List<String> problems(String method, String path, int status, String body) {
        List<String> problems = new ArrayList<>();
        String where = method + " " + path + " -> " + status;
        JsonNode operation = operation(method, path);
        if (operation == null) {
            // a path or method the API does not have: refused in the error envelope, which the description gives
            if (status != 401 && status != 404 && status != 405) {
                problems.add(where + ": no description of the operation");
            } else if (body != null) {
                problems.addAll(bodyProblems(where, body, resolve(spec.path("components").path("schemas")
                        .path("Error"))));
            }
            return problems;
        }
        JsonNode response = operation.path("responses").path(Integer.toString(status));
        if (response.isMissingNode()) {
            problems.add(where + ": status not listed in its description");
            return problems;
        }
        JsonNode schema = resolve(resolve(response).path("content").path("application/json").path("schema"));
        if (schema.isMissingNode() || body == null) {
            return problems; // no body described (a 204), or none kept whole to check
        }
        problems.addAll(bodyProblems(where, body, schema));
        return problems;
    }

    private List<String> bodyProblems(String where, String body, JsonNode schema) {
        List<String> problems = new ArrayList<>();
        JsonNode value;
        try {
            value = Json.MAPPER.readTree(body);
        } catch (RuntimeException e) {
            problems.add(where + ": not JSON");
            return problems;
        }
        conformsTo(value, schema, where + " body", problems);
        return problems;
    }

    private JsonNode operation(String method, String path) {
        for (Map.Entry<String, JsonNode> template : spec.path("paths").properties()) {
            String regex = template.getKey().replaceAll("\\{model}", ".+").replaceAll("\\{[a-z_]+}", "[^/]+");
            if (path.matches(regex) && template.getValue().has(method.toLowerCase(Locale.ROOT))) {
                return template.getValue().path(method.toLowerCase(Locale.ROOT));
            }
        }
        return null;
    }

    private JsonNode resolve(JsonNode node) {
        if (!node.has("$ref")) {
            return node;
        }
        JsonNode target = spec;
        for (String part : node.path("$ref").asString().substring(2).split("/")) {
            target = target.path(part);
        }
        return target;
    }

    private void conformsTo(JsonNode value, JsonNode schema, String where, List<String> problems) {
        if (schema.has("enum") && !contains(schema.path("enum"), value)) {
            problems.add(where + ": " + value + " (expected one of " + schema.path("enum") + ")");
            return;
        }
        List<String> types = new ArrayList<>();
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asString()));
        } else if (type.isString()) {
            types.add(type.asString());
        }
        if (types.isEmpty() || types.stream().anyMatch(t -> is(value, t))) {
            if (value.isObject()) {
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asString())) {
                        problems.add(where + ": lacks the required " + required.asString());
                    }
                }
                for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                    if (value.has(property.getKey())) {
                        conformsTo(value.get(property.getKey()), resolve(property.getValue()),
                                where + "." + property.getKey(), problems);
                    }
                }
            } else if (value.isArray() && schema.has("items")) {
                int index = 0;
                for (JsonNode item : value) {
                    conformsTo(item, resolve(schema.path("items")), where + "[" + index++ + "]", problems);
                }
            }
            return;
        }
        problems.add(where + ": " + kind(value) + " (expected " + String.join(" or ", types) + ")");
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean is(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isString();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static String kind(JsonNode value) {
        return value.isNull() ? "null" : value.isObject() ? "an object" : value.isArray() ? "an array"
                : value.isString() ? "a string" : value.isIntegralNumber() ? "an integer"
                : value.isNumber() ? "a number" : value.isBoolean() ? "a boolean" : value.toString();
    }
}
