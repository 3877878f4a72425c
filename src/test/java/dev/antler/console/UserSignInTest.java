package dev.antler.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.ConsoleClient;
import dev.antler.testing.GatewayHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Users signing in with a name and password the operator set; users marked admin; wrong passwords; the limit. */
class UserSignInTest {

    private static GatewayHarness gw;
    private static ConsoleClient operator;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("""
                console: { sign_in_failures: 3 }
                """);
        operator = ConsoleClient.admin(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static long user(String name, String password, boolean admin) {
        JsonNode created = operator.json("POST", "/api/admin/users",
                "{\"name\":\"" + name + "\",\"balance\":1,\"password\":\"" + password + "\",\"is_admin\":" + admin + "}",
                201);
        assertThat(created.path("is_admin").asBoolean()).isEqualTo(admin);
        assertThat(created.path("has_password").asBoolean()).isTrue();
        assertThat(created.toString()).doesNotContain(password);
        return created.path("id").asLong();
    }

    @Test
    void aUserSignsInWithTheirPasswordAndGetsTheUserRole() {
        long id = user("signin-alice", "alice-password-1", false);
        ConsoleClient alice = ConsoleClient.user(gw, "signin-alice", "alice-password-1");
        JsonNode session = alice.json("GET", "/api/session", null, 200);
        assertThat(session.path("role").asString()).isEqualTo("user");
        assertThat(session.at("/user/id").asLong()).isEqualTo(id);
        assertThat(session.at("/user/name").asString()).isEqualTo("signin-alice");
        assertThat(session.at("/user/is_admin").asBoolean()).isFalse();
        HttpResponse<String> admin = alice.call("GET", "/api/admin/users", null);
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(admin.body()).at("/error/code").asString()).isEqualTo("admin_only");
    }

    @Test
    void aUserMarkedAdminGetsTheAdminRole() {
        long id = user("signin-root", "root-password-1", true);
        ConsoleClient root = ConsoleClient.user(gw, "signin-root", "root-password-1");
        JsonNode session = root.json("GET", "/api/session", null, 200);
        assertThat(session.path("role").asString()).isEqualTo("admin");
        assertThat(session.at("/user/id").asLong()).isEqualTo(id);
        root.json("GET", "/api/admin/users", null, 200);
        // losing the mark ends the session: its role was fixed at sign-in
        operator.json("PATCH", "/api/admin/users/" + id, "{\"is_admin\":false}", 200);
        assertThat(root.call("GET", "/api/admin/users", null).statusCode()).isEqualTo(401);
        ConsoleClient again = ConsoleClient.user(gw, "signin-root", "root-password-1");
        assertThat(again.call("GET", "/api/admin/users", null).statusCode()).isEqualTo(403);
    }

    @Test
    void wrongPasswordUnknownUserAndDisabledUserAnswerAlike() {
        long id = user("signin-bob", "bob-password-1", false);
        HttpResponse<String> wrong = new ConsoleClient(gw).call("POST", "/api/session",
                "{\"username\":\"signin-bob\",\"password\":\"bob-password-2\"}");
        HttpResponse<String> unknown = new ConsoleClient(gw).call("POST", "/api/session",
                "{\"username\":\"signin-nobody\",\"password\":\"bob-password-1\"}");
        operator.json("PATCH", "/api/admin/users/" + id, "{\"status\":\"disabled\"}", 200);
        HttpResponse<String> disabled = new ConsoleClient(gw).call("POST", "/api/session",
                "{\"username\":\"signin-bob\",\"password\":\"bob-password-1\"}");
        for (HttpResponse<String> answer : java.util.List.of(wrong, unknown, disabled)) {
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(ConsoleClient.errorType(answer)).isEqualTo("invalid_credentials");
            assertThat(Json.MAPPER.readTree(answer.body()).at("/error/message").asString())
                    .isEqualTo(Json.MAPPER.readTree(wrong.body()).at("/error/message").asString())
                    .doesNotContain("bob-password");
        }
    }

    @Test
    void theOperatorResetsAPasswordAndTheUsersSessionsEnd() {
        long id = user("signin-carol", "carol-password-1", false);
        ConsoleClient carol = ConsoleClient.user(gw, "signin-carol", "carol-password-1");
        operator.json("PUT", "/api/admin/users/" + id + "/password", "{\"password\":\"carol-password-2\"}", 200);
        assertThat(carol.call("GET", "/api/session", null).statusCode()).isEqualTo(401);
        assertThat(new ConsoleClient(gw).call("POST", "/api/session",
                "{\"username\":\"signin-carol\",\"password\":\"carol-password-1\"}").statusCode()).isEqualTo(401);
        ConsoleClient.user(gw, "signin-carol", "carol-password-2");
        HttpResponse<String> tooShort = operator.call("PUT", "/api/admin/users/" + id + "/password",
                "{\"password\":\"short\"}");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("password: a string of 5 characters").doesNotContain("\"short\"");
    }

    @Test
    void repeatedFailuresForOneAccountAreRefusedWithRetryAfterEvenWithTheRightPassword() {
        user("signin-dave", "dave-password-1", false);
        for (int i = 0; i < 3; i++) {
            assertThat(new ConsoleClient(gw).call("POST", "/api/session",
                    "{\"username\":\"signin-dave\",\"password\":\"guess-" + i + "\"}").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = new ConsoleClient(gw).call("POST", "/api/session",
                "{\"username\":\"signin-dave\",\"password\":\"dave-password-1\"}");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(ConsoleClient.errorType(limited)).isEqualTo("too_many_sign_ins");
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow()).isBetween(1L, 900L);
        // another account from the same address is not yet refused (the address allows four times as many)
        user("signin-erin", "erin-password-1", false);
        ConsoleClient.user(gw, "signin-erin", "erin-password-1");
    }
}
