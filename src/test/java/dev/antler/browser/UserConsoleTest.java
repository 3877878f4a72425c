package dev.antler.browser;

import dev.antler.testing.Browser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
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
        browser.signInAsUser(gw.baseUrl(), name, PASSWORD);
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
        browser.submitUserSignIn(gw.baseUrl(), "carol", "not the password");

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
    void aUserCreatesAKeyAndSeesOnlyTheirOwnRequests() {
        String daveKey = admin("POST", "/api/admin/users/" + userId("dave") + "/keys", "{\"name\":\"dave-key\"}")
                .path("key").asString();
        chat(daveKey);
        signInAs("carol");
        browser.waitForTestText("my-balance", "$3.00");
        browser.screenshot("user-overview");

        browser.test("nav-keys").click();
        WebElement form = browser.test("my-key-form");
        browser.type(form, "name", "carol-laptop");
        browser.test("create-key").click();
        String key = browser.test("secret").getText().trim();
        assertThat(key).startsWith("sk-");
        browser.driver().findElement(By.xpath("//button[text()='Done']")).click();
        browser.waitForText("carol-laptop");
        assertThat(browser.bodyText()).doesNotContain(key).doesNotContain("dave-key");
        browser.screenshot("user-keys");

        String requestId = chat(key);
        new StoreView(gw).awaitUsage("carol", 1);
        browser.test("nav-usage").click();
        WebElement rows = browser.waitFor(By.cssSelector("[data-test=logs] tbody"));
        assertThat(rows.findElements(By.tagName("tr"))).hasSize(1);
        rows.findElement(By.tagName("tr")).click();
        assertThat(browser.test("log-detail").getText()).contains(requestId).doesNotContain("attempt_log");
        browser.screenshot("user-usage");
        browser.closeDialog();

        browser.test("nav-snippets").click();
        assertThat(browser.test("base-url").getText()).isEqualTo(gw.baseUrl() + "/v1");
        assertThat(browser.test("snippet").getText()).contains(gw.baseUrl() + "/v1/chat/completions");
        browser.screenshot("user-snippets");
        browser.assertNoScriptErrors();
    }

    @Test
    void aRedemptionCodeRaisesTheBalanceExactlyOnce() {
        String code = admin("POST", "/api/admin/redemptions", "{\"count\":1,\"amount_usd\":\"1.50\"}")
                .path("data").get(0).path("code").asString();
        signInAs("dave");
        StoreView store = new StoreView(gw);
        long before = store.balance("dave");

        WebElement form = browser.test("redeem-form");
        browser.type(form, "code", code);
        browser.test("redeem").click();
        assertThat(browser.test("redeemed").getText()).contains("$1.50");
        browser.type(browser.test("redeem-form"), "code", code);
        browser.test("redeem").click();
        assertThat(browser.test("error").getText()).isNotBlank();

        assertThat(store.balance("dave") - before).isEqualTo(1_500_000_000L);
        assertThat(store.ledgerSum("dave")).isEqualTo(store.balance("dave"));
        browser.assertNoScriptErrors();
    }

    private static long userId(String name) {
        for (JsonNode user : admin("GET", "/api/admin/users", null).path("data")) {
            if (user.path("name").asString().equals(name)) {
                return user.path("id").asLong();
            }
        }
        throw new AssertionError("no user " + name);
    }

    /** A chat completion with {@code key}; answers its request id. */
    private static String chat(String key) {
        HttpResponse<String> answer = gw.post("/v1/chat/completions", key,
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.headers().firstValue("X-Request-Id").orElseThrow();
    }

    @Test
    void aStateChangeWithoutTheCsrfTokenIsRefused() {
        signInAs("carol");

        assertThat(fetchStatus("DELETE", "/api/session", false)).isEqualTo(403);
        assertThat(fetchStatus("GET", "/api/session", false)).isEqualTo(200);
    }
}
