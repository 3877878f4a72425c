package dev.antler.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.ConsoleClient;
import dev.antler.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/session} over real sockets: sign-in with the admin key, the cookie, CSRF, fixation, sign-out. */
class SessionApiTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("""
                users:
                  - { name: session-reader, balance: 1 }
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void adminKeySignInSetsAStrictHttpOnlyCookieAndOpensTheAdminApi() {
        ConsoleClient console = new ConsoleClient(gw);
        HttpResponse<String> answer = console.call("POST", "/api/session",
                "{\"admin_key\":\"" + GatewayHarness.ADMIN_KEY + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String cookie = ConsoleClient.setCookie(answer);
        assertThat(cookie).startsWith("antler_session=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/").doesNotContain("Secure");
        assertThat(ConsoleClient.cookieValue(answer)).hasSize(43); // 256 bits, base64url
        JsonNode body = Json.MAPPER.readTree(answer.body());
        assertThat(body.path("role").asString()).isEqualTo("admin");
        assertThat(body.path("user").isNull()).isTrue();
        assertThat(body.path("csrf_token").asString()).hasSize(43);
        console.cookie = ConsoleClient.cookieValue(answer);
        console.csrf = body.path("csrf_token").asString();

        JsonNode current = console.json("GET", "/api/session", null, 200);
        assertThat(current.path("csrf_token").asString()).isEqualTo(console.csrf);
        assertThat(console.json("GET", "/api/admin/users", null, 200).path("data").size()).isGreaterThanOrEqualTo(1);
        JsonNode created = console.json("POST", "/api/admin/users", "{\"name\":\"made-by-session\"}", 201);
        assertThat(created.path("name").asString()).isEqualTo("made-by-session");
    }

    @Test
    void theCookieIsSecureOverTlsOrBehindATrustedProxySayingHttps() {
        HttpResponse<String> answer = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/session"))
                .header("X-Forwarded-Proto", "https").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"admin_key\":\"" + GatewayHarness.ADMIN_KEY + "\"}"))
                .build());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(ConsoleClient.setCookie(answer)).contains("; Secure");
    }

    @Test
    void stateChangesWithoutTheSessionsCsrfTokenAreRefused() {
        ConsoleClient console = ConsoleClient.admin(gw);
        String body = "{\"name\":\"csrf-victim\"}";
        HttpResponse<String> missing = console.send("POST", "/api/admin/users", body, null);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(missing.body()).at("/error/code").asString()).isEqualTo("csrf");
        HttpResponse<String> wrong = console.send("POST", "/api/admin/users", body, "x" + console.csrf);
        assertThat(wrong.statusCode()).isEqualTo(403);
        ConsoleClient other = ConsoleClient.admin(gw);
        HttpResponse<String> anothers = console.send("POST", "/api/admin/users", body, other.csrf);
        assertThat(anothers.statusCode()).isEqualTo(403);
        HttpResponse<String> signOut = console.send("DELETE", "/api/session", null, null);
        assertThat(signOut.statusCode()).isEqualTo(403);
        assertThat(ConsoleClient.errorType(signOut)).isEqualTo("csrf");
        assertThat(console.json("GET", "/api/admin/users?limit=1000", null, 200).toString()).doesNotContain("csrf-victim");
    }

    @Test
    void aCookiePlantedBeforeSignInIsNotTheOneAfterAndNoLongerWorks() {
        ConsoleClient planted = ConsoleClient.admin(gw);
        String plantedId = planted.cookie;
        ConsoleClient victim = new ConsoleClient(gw);
        victim.cookie = plantedId; // the attacker's session id in the victim's browser
        victim.signIn("{\"admin_key\":\"" + GatewayHarness.ADMIN_KEY + "\"}");
        assertThat(victim.cookie).isNotEqualTo(plantedId);
        assertThat(planted.call("GET", "/api/session", null).statusCode()).isEqualTo(401);
        assertThat(planted.call("GET", "/api/admin/users", null).statusCode()).isEqualTo(401);
        assertThat(victim.call("GET", "/api/session", null).statusCode()).isEqualTo(200);
    }

    @Test
    void signOutEndsTheSessionServerSide() {
        ConsoleClient console = ConsoleClient.admin(gw);
        String id = console.cookie;
        HttpResponse<String> out = console.call("DELETE", "/api/session", null);
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(ConsoleClient.setCookie(out)).startsWith("antler_session=;").contains("Max-Age=0");
        console.cookie = id; // a copy kept by someone else
        HttpResponse<String> after = console.call("GET", "/api/session", null);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(ConsoleClient.errorType(after)).isEqualTo("not_signed_in");
        assertThat(console.call("GET", "/api/admin/users", null).statusCode()).isEqualTo(401);
    }

    @Test
    void sessionsAreStoredHashed() {
        ConsoleClient console = ConsoleClient.admin(gw);
        long plain = gw.gateway().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM console_sessions WHERE id_hash = :id OR csrf_token = :id")
                .bind("id", console.cookie).mapTo(Long.class).one());
        assertThat(plain).isZero();
        assertThat(gw.gateway().admin().console().sessions().find(console.cookie)).isPresent();
    }

    @Test
    void wrongCredentialsAnswer401WithoutSayingWhichPartWasWrong() {
        HttpResponse<String> wrong = new ConsoleClient(gw).call("POST", "/api/session",
                "{\"admin_key\":\"sk-admin-not-this-one\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(ConsoleClient.errorType(wrong)).isEqualTo("invalid_credentials");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> none = new ConsoleClient(gw).call("GET", "/api/session", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(new ConsoleClient(gw).call("GET", "/api/admin/users", null).statusCode()).isEqualTo(401);
    }
}
