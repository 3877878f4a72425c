package dev.antler.admin;

import dev.antler.http.Routes;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin API as an OpenAPI 3.1 description, served at {@code GET /api/openapi.json} without authentication
 * (it holds no data). Its paths are the registered admin endpoints themselves, so it cannot list one the gateway
 * does not serve or miss one it does; the summaries are docs/admin-api.md's headings, which stay the reference
 * for each field. Request and answer bodies are described as JSON objects; the error envelope, the page
 * envelope and the answers of {@link AdminSchemas} in full.
 */
final class AdminOpenApi {

    static final String PATH = "/api/openapi.json";

    /** Summaries by "METHOD pattern", as the headings of docs/admin-api.md. */
    static final Map<String, String> SUMMARIES = Map.ofEntries(
            Map.entry("GET users", "List users"),
            Map.entry("POST users", "Create a user"),
            Map.entry("GET users/{id}", "Get a user"),
            Map.entry("PATCH users/{id}", "Change a user"),
            Map.entry("POST users/{id}/topup", "Top up or deduct"),
            Map.entry("GET users/{id}/ledger", "Ledger"),
            Map.entry("PUT users/{id}/password", "Set a user's console password"),
            Map.entry("POST users/{id}/keys", "Create a key"),
            Map.entry("GET users/{id}/keys", "List a user's keys"),
            Map.entry("GET keys/{id}", "Get a key"),
            Map.entry("PATCH keys/{id}", "Change a key"),
            Map.entry("GET keys/{id}/limits", "Get a key's limits"),
            Map.entry("PUT keys/{id}/limits", "Set a key's limits"),
            Map.entry("GET users/{id}/limits", "Get a user's limits"),
            Map.entry("PUT users/{id}/limits", "Set a user's limits"),
            Map.entry("GET groups", "List groups"),
            Map.entry("PUT groups/{name}", "Create or replace a group"),
            Map.entry("GET channels", "List channels"),
            Map.entry("POST channels", "Create a channel"),
            Map.entry("GET channels/{id}", "Get a channel"),
            Map.entry("PATCH channels/{id}", "Change a channel"),
            Map.entry("DELETE channels/{id}", "Delete a channel"),
            Map.entry("POST channels/{id}/test", "Test a channel"),
            Map.entry("GET prices", "List prices"),
            Map.entry("GET prices/{model*}", "Get one price"),
            Map.entry("PUT prices/{model*}", "Set a price"),
            Map.entry("DELETE prices/{model*}", "Remove an override"),
            Map.entry("GET logs", "List usage"),
            Map.entry("GET logs/summary", "Summary"),
            Map.entry("GET tasks", "List tasks"),
            Map.entry("GET tasks/summary", "Task counts"),
            Map.entry("GET tasks/{id}", "Get a task"),
            Map.entry("GET ledger", "Writer state"),
            Map.entry("GET ledger/dead-letters", "Dead letters"),
            Map.entry("POST ledger/dead-letters/replay", "Re-apply dead letters"),
            Map.entry("GET metrics/overhead", "Relay overhead"),
            Map.entry("DELETE metrics/overhead", "Reset the relay overhead figures"),
            Map.entry("GET metrics/memory", "Memory"),
            Map.entry("POST redemptions", "Create redemption codes"),
            Map.entry("GET redemptions", "List redemption codes"),
            Map.entry("PATCH redemptions/{id}", "Disable a redemption code"),
            Map.entry("POST invites", "Create an invite"),
            Map.entry("GET invites", "List invites"),
            Map.entry("DELETE invites/{id}", "Revoke an invite"),
            Map.entry("GET audit", "Audit log"),
            Map.entry("GET stats/series", "Usage over time"));

    /** The console's own endpoints by "METHOD path", as the headings of docs/user-api.md. */
    static final Map<String, String> CONSOLE_SUMMARIES = Map.ofEntries(
            Map.entry("POST /api/session", "Sign in"),
            Map.entry("GET /api/session", "The current session"),
            Map.entry("DELETE /api/session", "Sign out"),
            Map.entry("POST /api/signup", "Sign up"),
            Map.entry("GET /api/user/me", "Me"),
            Map.entry("POST /api/user/password", "Change my password"),
            Map.entry("GET /api/user/usage", "My usage"),
            Map.entry("GET /api/user/usage/series", "My spend over time"),
            Map.entry("GET /api/user/tasks", "My tasks"),
            Map.entry("GET /api/user/keys", "My keys"),
            Map.entry("POST /api/user/keys", "Create a key of mine"),
            Map.entry("DELETE /api/user/keys/{id}", "Revoke a key of mine"),
            Map.entry("POST /api/user/redeem", "Redeem a code"));

    /** The console paths outside {@code /api/user/}, registered by the console itself. */
    private static final List<AdminRoutes.Endpoint> SESSION_ENDPOINTS = List.of(
            new AdminRoutes.Endpoint(HttpMethod.POST, "/api/session"),
            new AdminRoutes.Endpoint(HttpMethod.GET, "/api/session"),
            new AdminRoutes.Endpoint(HttpMethod.DELETE, "/api/session"),
            new AdminRoutes.Endpoint(HttpMethod.POST, "/api/signup"));

    /** Endpoints that answer 201 with what they created. */
    private static final Set<String> CREATING = Set.of("POST users", "POST users/{id}/keys", "POST channels",
            "POST redemptions", "POST invites", "POST /api/user/keys", "POST /api/signup");
    /** Listings that take limit and offset and answer a page. */
    private static final Set<String> PAGED = Set.of("GET users", "GET users/{id}/ledger", "GET logs",
            "GET redemptions", "GET invites");

    private AdminOpenApi() {}

    /**
     * @param consoleEndpoints the self-service API's endpoints, relative to {@code /api/user/}
     */
    static void register(Routes routes, List<AdminRoutes.Endpoint> endpoints, List<AdminRoutes.Endpoint> consoleEndpoints) {
        // Built at the first request rather than at start, which it would slow by a few per cent.
        Supplier<Buffer> document = new Supplier<>() {
            private volatile Buffer built;

            @Override
            public Buffer get() {
                Buffer doc = built;
                if (doc == null) {
                    doc = Buffer.buffer(Json.bytes(document(endpoints, consoleEndpoints)));
                    built = doc; // two first requests at once may both build it: the same bytes
                }
                return doc;
            }
        };
        routes.add(HttpMethod.GET, PATH, ApiErrorFormat.ADMIN, exchange -> exchange.json(200, document.get()));
    }

    static ObjectNode document(List<AdminRoutes.Endpoint> endpoints, List<AdminRoutes.Endpoint> consoleEndpoints) {
        ObjectNode doc = Json.object().put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Antler admin API").put("version", "1")
                .put("description", "Users, balances, keys, groups, channels, prices, usage logs, tasks, the ledger "
                        + "and metrics. Money is USD as a JSON number (or string) with up to 9 decimals; times are "
                        + "ISO-8601 UTC. Each field is described in docs/admin-api.md.");
        doc.putArray("servers").addObject().put("url", "/");
        doc.putArray("security").addObject().putArray("adminKey");
        ObjectNode components = doc.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("adminKey").put("type", "http").put("scheme", "bearer")
                .put("description", "The admin key (admin.key); also accepted as a bare Authorization value or x-api-key.");
        schemes.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", "antler_session")
                .put("description", "A console session from POST /api/session; state changes also need the header "
                        + "X-CSRF-Token with the session's csrf_token. On /api/admin/ only a session with the admin role.");
        ObjectNode schemas = components.putObject("schemas");
        schemas.set("Error", errorSchema());
        schemas.set("Page", pageSchema());
        schemas.putObject("Object").put("type", "object");
        AdminSchemas.addTo(schemas);
        ObjectNode responses = components.putObject("responses");
        for (Map.Entry<String, String> error : Map.of("400", "Invalid JSON, field, path segment or parameter",
                "401", "The admin key is missing or wrong, or no session", "403",
                "A user's session on an admin route, a missing or wrong CSRF token, or not allowed",
                "404", "No such endpoint or object",
                "409", "A name already taken, or a state that does not allow the change", "413", "The body is larger than 1 MiB")
                .entrySet()) {
            responses.putObject("E" + error.getKey()).put("description", error.getValue()).putObject("content")
                    .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
        }

        ObjectNode paths = doc.putObject("paths");
        List<AdminRoutes.Endpoint> all = new java.util.ArrayList<>(endpoints);
        consoleEndpoints.forEach(e -> all.add(new AdminRoutes.Endpoint(e.method(), "/api/user/" + e.pattern())));
        all.addAll(SESSION_ENDPOINTS);
        for (AdminRoutes.Endpoint endpoint : all) {
            boolean console = endpoint.pattern().startsWith("/");
            String key = endpoint.method().name() + " " + endpoint.pattern();
            String path = console ? endpoint.pattern() : AdminDispatcher.PREFIX + endpoint.pattern().replace("*}", "}");
            ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
            ObjectNode operation = item.putObject(endpoint.method().name().toLowerCase(Locale.ROOT));
            operation.put("summary", console ? CONSOLE_SUMMARIES.getOrDefault(key, "") : SUMMARIES.getOrDefault(key, ""));
            operation.put("operationId", operationId(endpoint));
            operation.putArray("tags").add(console ? (path.startsWith("/api/user/") ? "user" : "session")
                    : endpoint.pattern().split("/")[0]);
            if (console) {
                boolean open = key.equals("POST /api/session") || key.equals("POST /api/signup");
                ArrayNode security = operation.putArray("security");
                if (!open) {
                    security.addObject().putArray("session");
                }
            } else {
                ArrayNode security = operation.putArray("security");
                security.addObject().putArray("adminKey");
                security.addObject().putArray("session");
            }
            ArrayNode parameters = operation.putArray("parameters");
            for (String segment : endpoint.pattern().split("/")) {
                if (segment.startsWith("{")) {
                    boolean rest = segment.endsWith("*}");
                    String name = segment.substring(1, segment.length() - (rest ? 2 : 1));
                    ObjectNode parameter = parameters.addObject().put("name", name).put("in", "path")
                            .put("required", true);
                    parameter.putObject("schema").put("type", "string");
                    if (rest) {
                        parameter.put("description", "May contain slashes (a model name such as acme/model-1.5)");
                    }
                }
            }
            if (PAGED.contains(key)) {
                for (String name : List.of("limit", "offset")) {
                    ObjectNode parameter = parameters.addObject().put("name", name).put("in", "query");
                    parameter.putObject("schema").put("type", "integer").put("minimum", name.equals("limit") ? 1 : 0);
                }
            }
            if (endpoint.method() == HttpMethod.POST || endpoint.method() == HttpMethod.PUT
                    || endpoint.method() == HttpMethod.PATCH) {
                operation.putObject("requestBody").put("required", !key.endsWith("/test") && !key.endsWith("/replay"))
                        .putObject("content").putObject("application/json").putObject("schema")
                        .put("$ref", "#/components/schemas/Object");
            }
            ObjectNode answers = operation.putObject("responses");
            String success = CREATING.contains(key) ? "201" : "200";
            answers.putObject(success).put("description", CREATING.contains(key) ? "Created" : "OK")
                    .putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", "#/components/schemas/" + (PAGED.contains(key) ? "Page"
                            : AdminSchemas.ANSWERS.getOrDefault(key, "Object")));
            if (key.equals("PUT groups/{name}")) { // 201 when the group is new, 200 when it was replaced
                answers.putObject("201").put("description", "Created").putObject("content")
                        .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Object");
            }
            for (String status : List.of("400", "401", "403", "404")) {
                answers.putObject(status).put("$ref", "#/components/responses/E" + status);
            }
            if (key.equals("POST /api/session") || key.equals("POST /api/signup")) {
                answers.putObject("429").put("description", "Too many sign-ins (or sign-ups) from this account or "
                        + "address; Retry-After says when to try again").putObject("content")
                        .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
            }
            if (key.equals("DELETE /api/session")) {
                answers.remove("200");
                answers.putObject("204").put("description", "Signed out; the cookie is cleared");
            }
            if (CREATING.contains(key) || key.startsWith("PATCH channels") || key.startsWith("PUT groups")
                    || key.startsWith("PATCH redemptions") || key.equals("POST /api/user/redeem")) {
                answers.putObject("409").put("$ref", "#/components/responses/E409");
            }
            if (operation.has("requestBody")) {
                answers.putObject("413").put("$ref", "#/components/responses/E413");
            }
        }
        return doc;
    }

    private static String operationId(AdminRoutes.Endpoint endpoint) {
        StringBuilder id = new StringBuilder(endpoint.method().name().toLowerCase(Locale.ROOT));
        for (String segment : endpoint.pattern().replaceFirst("^/api/", "").split("[/-]")) {
            String word = segment.replaceAll("[{}*]", "");
            if (!word.isEmpty()) {
                id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
            if (segment.startsWith("{")) {
                id.insert(id.length() - word.length(), "By");
            }
        }
        return id.toString();
    }

    private static ObjectNode errorSchema() {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putArray("required").add("error");
        ObjectNode error = schema.putObject("properties").putObject("error").put("type", "object");
        error.putArray("required").add("message").add("type").add("code");
        ObjectNode properties = error.putObject("properties");
        properties.putObject("message").put("type", "string")
                .put("description", "Names the field, the value received and what was expected");
        properties.putObject("type").put("type", "string");
        properties.putObject("code").put("type", "string");
        properties.putObject("request_id").put("type", "string");
        return schema;
    }

    private static ObjectNode pageSchema() {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putArray("required").add("data");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("data").put("type", "array").putObject("items").put("type", "object");
        properties.putObject("limit").put("type", "integer");
        properties.putObject("offset").put("type", "integer");
        return schema;
    }
}
