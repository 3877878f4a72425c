package dev.antler.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * A user in a real browser: signs in with the name and password the operator set, sees only their own data, and
 * their session can reach no admin page or route.
 */
class UserConsoleTest {

    private static final String PASSWORD = "correct horse battery";

    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static Browser browser;

    @BeforeAll
    static void start() {
        browser = Browser.start();
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: fake, base_url: "%s", key: sk-upstream-user-test-0001, models: [gpt-4o-mini] }
                """.formatted(upstream.baseUrl()));
        createUser("carol", "3.00");
        createUser("dave", "4.00");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (gw != null) {
            gw.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static JsonNode admin(String method, String path, String json) {
        HttpResponse<String> answer = method.equals("GET") ? gw.get(path, GatewayHarness.ADMIN_KEY)
                : gw.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.baseUrl() + path))
                        .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 201);
        return Json.MAPPER.readTree(answer.body());
    }

    private static void createUser(String name, String balance) {
        admin("POST", "/api/admin/users", Json.MAPPER.writeValueAsString(
                Map.of("name", name, "balance", balance, "password", PASSWORD)));
    }

    private static void signInAs(String name) {
        browser.signedOut(gw.baseUrl());
        browser.test("mode-user").click();
        WebElement form = browser.test("signin-form");
        browser.type(form, "username", name);
        browser.type(form, "password", PASSWORD);
        browser.test("sign-in").click();
        browser.test("who");
    }

    /** Runs fetch(path) in the page, with the page's cookie, and answers the status. */
    private static long fetchStatus(String method, String path, boolean withCsrf) {
        Object status = browser.driver().executeAsyncScript("""
                const [method, path, withCsrf, done] = arguments;
                fetch('/api/session').then(r => r.json()).then(s => fetch(path, {method,
                    headers: Object.assign({'Content-Type': 'application/json'},
                        withCsrf ? {'X-CSRF-Token': s.csrf_token} : {}),
                    body: method === 'GET' ? undefined : '{}'}))
                  .then(r => done(r.status), e => done(-1));""", method, path, withCsrf);
        return ((Number) status).longValue();
    }

    @Test
    void aWrongPasswordIsRefusedOnThePage() {
        browser.signedOut(gw.baseUrl());
        browser.test("mode-user").click();
        WebElement form = browser.test("signin-form");
        browser.type(form, "username", "carol");
        browser.type(form, "password", "not the password");
        browser.test("sign-in").click();

        assertThat(browser.test("error").getText()).isNotBlank();
        assertThat(browser.driver().getCurrentUrl()).endsWith("/console/signin");
    }

    @Test
    void aUserSessionReachesNoAdminPageOrRoute() {
        signInAs("carol");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/console/me");
        assertThat(browser.bodyText()).doesNotContain("Channels").doesNotContain("Redemption codes");

        browser.open(gw.baseUrl() + "/console/channels");
        browser.test("who");
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
                .until(d -> d.getCurrentUrl().endsWith("/console/me"));

        assertThat(fetchStatus("GET", "/api/admin/users", true)).isEqualTo(403);
        assertThat(fetchStatus("GET", "/api/admin/logs", true)).isEqualTo(403);
        assertThat(fetchStatus("POST", "/api/admin/users", true)).isEqualTo(403);
        assertThat(fetchStatus("PATCH", "/api/admin/channels/1", true)).isEqualTo(403);
        assertThat(admin("GET", "/api/admin/channels/1", null).path("enabled").asBoolean()).isTrue();
        browser.assertNoScriptErrors();
    }

    @Test
    void aStateChangeWithoutTheCsrfTokenIsRefused() {
        signInAs("carol");

        assertThat(fetchStatus("DELETE", "/api/session", false)).isEqualTo(403);
        assertThat(fetchStatus("GET", "/api/session", false)).isEqualTo(200);
    }
}
