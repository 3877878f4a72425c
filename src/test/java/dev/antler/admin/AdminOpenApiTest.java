package dev.antler.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.OpenApiCheck;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        check("GET", "/api/admin/prices", null, checked);
        check("PUT", "/api/admin/prices/acme/openapi-model", "{\"per_call\":0.01}", checked);
        check("GET", "/api/admin/tasks/summary", null, checked);
        check("GET", "/api/admin/logs", null, checked);
        check("GET", "/api/admin/logs/summary", null, checked);
        check("GET", "/api/admin/ledger", null, checked);
        check("GET", "/api/admin/metrics/memory", null, checked);
        HttpResponse<String> unauthenticated = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl()
                + "/api/admin/groups")).GET().build());
        conforms("GET", "/api/admin/groups", unauthenticated);
        assertThat(checked).containsExactly("200", "201", "409", "400", "404", "200", "200", "200", "200", "200", "200",
                "200", "200", "200");
    }

    private static void check(String method, String path, String body, List<String> statuses) {
        HttpResponse<String> answer = admin.admin(method, path, body);
        conforms(method, path, answer);
        statuses.add(Integer.toString(answer.statusCode()));
    }

    /** The answer's status is documented for the operation, and its body has the schema's types and required fields. */
    private static void conforms(String method, String path, HttpResponse<String> answer) {
        assertThat(new OpenApiCheck(spec).problems(method, path, answer.statusCode(), answer.body())).isEmpty();
    }
}
