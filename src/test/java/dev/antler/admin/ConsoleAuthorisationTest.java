package dev.antler.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.ConsoleClient;
import dev.antler.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Who may call what, route by route. The routes are not listed by hand: they are the operations of
 * {@code /api/openapi.json}, which is built from the registered route tables (and checked to hold every admin route).
 */
class ConsoleAuthorisationTest {

    private static GatewayHarness gw;
    private static List<String[]> adminRoutes;
    private static List<String[]> userRoutes;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("users:\n  - { name: authz-reader, balance: 1 }\n");
        ConsoleClient.admin(gw).json("POST", "/api/admin/users",
                "{\"name\":\"authz-alice\",\"balance\":1,\"password\":\"alice-password-1\"}", 201);
        HttpResponse<String> spec = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/openapi.json")).build());
        adminRoutes = new ArrayList<>();
        userRoutes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : Json.MAPPER.readTree(spec.body()).path("paths").properties()) {
            for (String method : path.getValue().propertyNames()) {
                String concrete = path.getKey().replaceAll("\\{[a-z]+}", "1");
                String[] route = {method.toUpperCase(Locale.ROOT), concrete};
                if (concrete.startsWith("/api/admin/")) {
                    adminRoutes.add(route);
                } else if (concrete.startsWith("/api/user/")) {
                    userRoutes.add(route);
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static boolean changesState(String method) {
        return !method.equals("GET");
    }

    @Test
    void everyRouteIsEnumerated() {
        assertThat(adminRoutes).hasSize(AdminOpenApi.SUMMARIES.size());
        assertThat(userRoutes).hasSize((int) AdminOpenApi.CONSOLE_SUMMARIES.keySet().stream()
                .filter(k -> k.contains(" /api/user/")).count());
    }

    @Test
    void aUsersSessionGets403OnEveryAdminRoute() {
        ConsoleClient alice = ConsoleClient.user(gw, "authz-alice", "alice-password-1");
        for (String[] route : adminRoutes) {
            HttpResponse<String> answer = alice.call(route[0], route[1], changesState(route[0]) ? "{}" : null);
            assertThat(answer.statusCode()).as(route[0] + " " + route[1] + ": " + answer.body()).isEqualTo(403);
            assertThat(Json.MAPPER.readTree(answer.body()).at("/error/code").asString()).isEqualTo("admin_only");
        }
    }

    @Test
    void withoutASessionOrKeyEveryAdminAndUserRouteAnswers401() {
        ConsoleClient nobody = new ConsoleClient(gw);
        List<String[]> all = new ArrayList<>(adminRoutes);
        all.addAll(userRoutes);
        all.add(new String[] {"GET", "/api/session"});
        all.add(new String[] {"DELETE", "/api/session"});
        for (String[] route : all) {
            HttpResponse<String> answer = nobody.call(route[0], route[1], changesState(route[0]) ? "{}" : null);
            assertThat(answer.statusCode()).as(route[0] + " " + route[1]).isEqualTo(401);
        }
        ConsoleClient forged = new ConsoleClient(gw);
        forged.cookie = "forged-session-id";
        for (String[] route : all) {
            assertThat(forged.call(route[0], route[1], null).statusCode()).as(route[0] + " " + route[1]).isEqualTo(401);
        }
    }

    @Test
    void everyStateChangingCookieRouteRefusesAMissingOrWrongCsrfToken() {
        ConsoleClient operator = ConsoleClient.admin(gw);
        ConsoleClient alice = ConsoleClient.user(gw, "authz-alice", "alice-password-1");
        List<Object[]> checks = new ArrayList<>();
        adminRoutes.stream().filter(r -> changesState(r[0])).forEach(r -> checks.add(new Object[] {operator, r}));
        userRoutes.stream().filter(r -> changesState(r[0])).forEach(r -> checks.add(new Object[] {alice, r}));
        checks.add(new Object[] {alice, new String[] {"DELETE", "/api/session"}});
        assertThat(checks).hasSizeGreaterThan(20);
        for (Object[] check : checks) {
            ConsoleClient client = (ConsoleClient) check[0];
            String[] route = (String[]) check[1];
            for (String token : new String[] {null, "", client.csrf.substring(1), operator.csrf.equals(client.csrf)
                    ? alice.csrf : operator.csrf}) {
                HttpResponse<String> answer = client.send(route[0], route[1], "{}", token);
                assertThat(answer.statusCode()).as(route[0] + " " + route[1] + " with token " + token).isEqualTo(403);
                assertThat(answer.body()).contains("\"csrf\"");
            }
        }
        // the sessions still work: nothing above signed them out
        operator.json("GET", "/api/session", null, 200);
        alice.json("GET", "/api/session", null, 200);
    }

    @Test
    void theAdminKeysSessionHasNoUserRoutes() {
        ConsoleClient operator = ConsoleClient.admin(gw);
        for (String[] route : userRoutes) {
            HttpResponse<String> answer = operator.call(route[0], route[1], changesState(route[0]) ? "{}" : null);
            assertThat(answer.statusCode()).as(route[0] + " " + route[1]).isEqualTo(403);
            assertThat(ConsoleClient.errorType(answer)).isEqualTo("user_only");
        }
    }

    @Test
    void aUserKeyIsNoAdminKey() {
        HttpResponse<String> created = new AdminClient(gw).admin("POST", "/api/admin/users/1/keys", "{}");
        String userKey = AdminClient.json(created).path("key").asString();
        for (String[] route : adminRoutes) {
            HttpResponse<String> answer = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + route[1]))
                    .header("Authorization", "Bearer " + userKey)
                    .method(route[0], HttpRequest.BodyPublishers.noBody()).build());
            assertThat(answer.statusCode()).as(route[0] + " " + route[1]).isEqualTo(401);
        }
    }
}
