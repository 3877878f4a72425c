package dev.antler.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/openapi.json}: OpenAPI 3.1, one operation per admin endpoint with docs/admin-api.md's heading as
 * its summary, and the answers of a round of admin calls (successes and each kind of error) documented by status
 * and shaped as their schemas say.
 */
class AdminOpenApiTest {

    private static final Pattern HEADING = Pattern.compile("(?m)^### (.+) — `(GET|POST|PUT|PATCH|DELETE) (/api/\\S+)`$");

    private static GatewayHarness gw;
    private static AdminClient admin;
    private static JsonNode spec;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("""
                users:
                  - { name: reader, balance: 1 }
                """);
        admin = new AdminClient(gw);
        HttpResponse<String> answer = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/openapi.json"))
                .GET().build());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        spec = Json.MAPPER.readTree(answer.body());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void everyEndpointIsDescribedWithTheGuidesHeading() throws Exception {
        assertThat(spec.path("openapi").asString()).isEqualTo("3.1.0");
        Map<String, String> described = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> path : spec.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                described.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                        operation.getValue().path("summary").asString());
            }
        }
        assertThat(described).hasSize(AdminOpenApi.SUMMARIES.size() + AdminOpenApi.CONSOLE_SUMMARIES.size());
        assertThat(described.values()).doesNotContain("");
        int count = 0;
        for (String guide : List.of("docs/admin-api.md", "docs/user-api.md")) {
            Matcher headings = HEADING.matcher(Files.readString(Path.of(guide)));
            while (headings.find()) {
                assertThat(described).as(guide).containsEntry(headings.group(2) + " " + headings.group(3),
                        headings.group(1));
                count++;
            }
        }
        assertThat(count).isEqualTo(described.size() - 1); // DELETE metrics/overhead is told under its GET
    }

    @Test
    void adminAnswersMatchTheirDescription() {
        List<String> checked = new ArrayList<>();
        check("GET", "/api/admin/users", null, checked);
        check("POST", "/api/admin/users", "{\"name\":\"openapi-user\",\"balance\":2}", checked);
        check("POST", "/api/admin/users", "{\"name\":\"openapi-user\",\"balance\":2}", checked);
        check("POST", "/api/admin/users", "{\"name\":", checked);
        check("GET", "/api/admin/users/987654", null, checked);
        check("GET", "/api/admin/channels", null, checked);
        check("GET", "/api/admin/prices/gpt-4o-mini", null, checked);
        check("GET", "/api/admin/logs", null, checked);
        check("GET", "/api/admin/logs/summary", null, checked);
        check("GET", "/api/admin/ledger", null, checked);
        check("GET", "/api/admin/metrics/memory", null, checked);
        HttpResponse<String> unauthenticated = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl()
                + "/api/admin/groups")).GET().build());
        conforms("GET", "/api/admin/groups", unauthenticated);
        assertThat(checked).containsExactly("200", "201", "409", "400", "404", "200", "200", "200", "200", "200", "200");
    }

    private static void check(String method, String path, String body, List<String> statuses) {
        HttpResponse<String> answer = admin.admin(method, path, body);
        conforms(method, path, answer);
        statuses.add(Integer.toString(answer.statusCode()));
    }

    /** The answer's status is documented for the operation, and its body has the schema's types and required fields. */
    private static void conforms(String method, String path, HttpResponse<String> answer) {
        JsonNode operation = operation(method, path);
        JsonNode response = operation.path("responses").path(Integer.toString(answer.statusCode()));
        assertThat(response.isMissingNode()).as(method + " " + path + " answered " + answer.statusCode()
                + ", which its description does not list").isFalse();
        JsonNode schema = resolve(resolve(response).path("content").path("application/json").path("schema"));
        conformsTo(Json.MAPPER.readTree(answer.body()), schema, method + " " + path);
    }

    private static JsonNode operation(String method, String path) {
        for (Map.Entry<String, JsonNode> template : spec.path("paths").properties()) {
            String regex = template.getKey().replaceAll("\\{model}", ".+").replaceAll("\\{[a-z]+}", "[^/]+");
            if (path.matches(regex) && template.getValue().has(method.toLowerCase(Locale.ROOT))) {
                return template.getValue().path(method.toLowerCase(Locale.ROOT));
            }
        }
        throw new AssertionError("no description of " + method + " " + path);
    }

    private static JsonNode resolve(JsonNode node) {
        if (!node.has("$ref")) {
            return node;
        }
        JsonNode target = spec;
        for (String part : node.path("$ref").asString().substring(2).split("/")) {
            target = target.path(part);
        }
        return target;
    }

    private static void conformsTo(JsonNode value, JsonNode schema, String where) {
        String type = schema.path("type").asString("");
        if (type.equals("object")) {
            assertThat(value.isObject()).as(where + ": an object").isTrue();
            for (JsonNode required : schema.path("required")) {
                assertThat(value.has(required.asString())).as(where + ": has " + required.asString()).isTrue();
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                if (value.has(property.getKey())) {
                    conformsTo(value.get(property.getKey()), resolve(property.getValue()), where + "." + property.getKey());
                }
            }
        } else if (type.equals("array")) {
            assertThat(value.isArray()).as(where + ": an array").isTrue();
            for (JsonNode item : value) {
                conformsTo(item, resolve(schema.path("items")), where + "[]");
            }
        } else if (type.equals("string")) {
            assertThat(value.isString()).as(where + ": a string").isTrue();
        } else if (type.equals("integer")) {
            assertThat(value.isIntegralNumber()).as(where + ": an integer").isTrue();
        }
    }
}
