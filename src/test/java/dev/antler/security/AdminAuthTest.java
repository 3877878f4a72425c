package dev.antler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.GatewayHarness;
import dev.antler.testing.TestUsers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every admin route answers only to the admin key: the routes are read from docs/admin-api.md, so a
 * route documented later is checked too; an undocumented path is refused before routing.
 */
class AdminAuthTest {

    private static final Pattern ROUTE = Pattern.compile("^### .* — `(GET|POST|PUT|PATCH|DELETE) (/api/admin/\\S+)`$");

    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("users:\n" + TestUsers.yaml("outsider"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static List<String[]> documentedRoutes() throws IOException {
        List<String[]> routes = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("docs/admin-api.md"))) {
            Matcher m = ROUTE.matcher(line);
            if (m.matches()) {
                String path = m.group(2).replace("{id}", "1").replace("{name}", "default")
                        .replace("{model}", "gpt-4o-mini");
                routes.add(new String[] {m.group(1), path});
            }
        }
        return routes;
    }

    private static HttpResponse<String> call(String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return gw.send(request.build());
    }

    @Test
    void everyDocumentedRouteRefusesAnythingButTheAdminKey() throws IOException {
        List<String[]> routes = documentedRoutes();
        assertThat(routes).hasSizeGreaterThanOrEqualTo(25);
        String almost = GatewayHarness.ADMIN_KEY.substring(0, GatewayHarness.ADMIN_KEY.length() - 1) + "X";
        List<String> refusedWithTheKey = new ArrayList<>();
        for (String[] route : routes) {
            for (String wrong : new String[] {null, "Bearer ", "Bearer " + almost, "Bearer " + TestUsers.key("outsider"),
                    "Basic " + GatewayHarness.ADMIN_KEY}) {
                HttpResponse<String> answer = call(route[0], route[1], wrong);
                assertThat(answer.statusCode()).as("%s %s with %s", route[0], route[1], wrong).isEqualTo(401);
                assertThat(answer.body()).doesNotContain(GatewayHarness.ADMIN_KEY).doesNotContain(almost);
            }
            if (call(route[0], route[1], "Bearer " + GatewayHarness.ADMIN_KEY).statusCode() == 401) {
                refusedWithTheKey.add(route[0] + " " + route[1]);
            }
        }
        assertThat(refusedWithTheKey).isEmpty();
    }

    @Test
    void anUndocumentedPathIsRefusedBeforeItIsRouted() {
        assertThat(call("GET", "/api/admin/no-such-thing", null).statusCode()).isEqualTo(401);
        assertThat(call("DELETE", "/api/admin/users/1", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/admin/no-such-thing", "Bearer " + GatewayHarness.ADMIN_KEY).statusCode())
                .isEqualTo(404);
    }
}
