package dev.antler.browser;

import dev.antler.testing.Browser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskStore;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The operator's quickstart in a real browser, without curl: sign in with the admin key, add a channel (a fake
 * OpenAI upstream), a user and a key; a request made with that key then shows in the usage log and on the dashboard.
 */
class OperatorConsoleTest {

    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static Browser browser;

    @BeforeAll
    static void start() {
        browser = Browser.start();
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("");
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

    private static JsonNode admin(String path) {
        HttpResponse<String> answer = gw.get(path, GatewayHarness.ADMIN_KEY);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private static void signInAsOperator() {
        browser.signInWithAdminKey(gw.baseUrl(), GatewayHarness.ADMIN_KEY);
    }

    @Test
    void operatorRunsTheQuickstartInTheBrowser() {
        browser.type(browser.signInForm(gw.baseUrl(), "admin"), "admin_key", GatewayHarness.ADMIN_KEY);
        browser.screenshot("signin");
        signInAsOperator();
        assertThat(browser.driver().getCurrentUrl()).endsWith("/console/dashboard");

        browser.test("nav-channels").click();
        browser.test("new-channel").click();
        WebElement channel = browser.test("channel-form");
        browser.type(channel, "name", "fake-openai");
        browser.type(channel, "base_url", upstream.baseUrl());
        browser.type(channel, "key", "sk-upstream-secret-0042");
        browser.type(channel, "models", "gpt-4o-mini");
        channel.findElement(By.cssSelector("[data-test=save]")).click();
        browser.waitForText("fake-openai");
        assertThat(browser.bodyText()).contains("…0042").doesNotContain("sk-upstream-secret-0042");
        JsonNode channels = admin("/api/admin/channels").path("data");
        assertThat(channels).hasSize(1);
        assertThat(channels.get(0).path("base_url").asString()).isEqualTo(upstream.baseUrl());
        browser.screenshot("channels");

        browser.test("nav-users").click();
        browser.test("new-user").click();
        WebElement user = browser.test("user-form");
        browser.type(user, "name", "alice");
        browser.type(user, "balance", "5.25");
        user.findElement(By.cssSelector("[data-test=save]")).click();
        browser.waitForTestText("balance", "$5.25");
        browser.test("new-key").click();
        WebElement keyForm = browser.test("key-form");
        browser.type(keyForm, "name", "laptop");
        keyForm.findElement(By.cssSelector("[data-test=save]")).click();
        String key = browser.test("secret").getText().trim();
        assertThat(key).startsWith("sk-");
        browser.test("copy").click();
        browser.driver().findElement(By.xpath("//button[text()='Done']")).click();
        browser.waitForText("laptop");
        assertThat(browser.bodyText()).contains("…" + key.substring(key.length() - 4)).doesNotContain(key);
        browser.screenshot("user");

        HttpResponse<String> answer = gw.post("/v1/chat/completions", key,
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String requestId = new StoreView(gw).awaitUsage("alice", 1).get(0).requestId();
        assertThat(answer.headers().firstValue("X-Request-Id")).hasValue(requestId);

        browser.test("nav-logs").click();
        WebElement row = browser.waitFor(By.cssSelector("[data-test=logs] tbody tr"));
        assertThat(row.getText()).contains("gpt-4o-mini").contains("200");
        row.click();
        WebElement detail = browser.test("log-detail");
        assertThat(detail.getText()).contains(requestId);
        assertThat(browser.bodyText()).contains("fake-openai");
        browser.screenshot("log-detail");
        browser.closeDialog();
        browser.screenshot("logs");

        long now = System.currentTimeMillis();
        new TaskStore(gw.gateway().database()).insert(new Task(0, "task-console-1", "midjourney", "IMAGINE", null,
                admin("/api/admin/users").path("data").get(0).path("id").asLong(), 0, 1, "up-console-1",
                TaskStatus.SUCCESS, "100%", null, new Task.Charge(0, 0, 1, "charged", "none", "open"), null, "{}", null,
                now, now, now, now));
        browser.test("nav-dashboard").click();
        browser.waitForTestText("total-requests", "1");
        assertThat(browser.test("task-counts").getText()).contains("midjourney · SUCCESS 1");
        browser.waitFor(By.cssSelector("[data-test=chart] canvas"));
        assertThat(browser.test("total-cost").getText()).isNotEqualTo("$0.00").startsWith("$0.0000");
        assertThat(browser.test("breakdown").getText()).contains("gpt-4o-mini");
        assertThat(browser.test("channel-state").getText()).contains("fake-openai").contains("Healthy");
        assertThat(browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/console/js/format.js').then((m) => done(m.usdTicks([0, 0.00001, 0.00002, 0.00003])),
                    (e) => done(String(e)));""")).isEqualTo(List.of("$0.00000", "$0.00001", "$0.00002", "$0.00003"));
        WebElement plot = browser.waitFor(By.cssSelector("[data-test=chart] .u-over"));
        new Actions(browser.driver()).moveToElement(plot, plot.getSize().getWidth() / 2 - 1, 0).perform();
        assertThat(browser.driver().findElement(By.cssSelector("[data-test=chart] .u-legend .u-series:nth-child(2) .u-value"))
                .getText()).as("the legend shows the cent's fraction the request cost").startsWith("$0.0000").isNotEqualTo("$0.00");
        browser.screenshot("dashboard");
        browser.assertNoScriptErrors();
    }

    @Test
    void thePricePageShowsTheBuiltInDefaultBesideTheOverride() {
        signInAsOperator();
        browser.test("nav-prices").click();
        browser.waitFor(By.cssSelector("input[type=search]")).sendKeys("gpt-4.1-nano");
        assertThat(priceCell("default-price").getText()).contains("$0.10").contains("$0.40").contains("$0.025");
        assertThat(priceRow().findElements(By.cssSelector("[data-test=override-price]"))).isEmpty();

        priceRow().findElement(By.xpath(".//button[text()='Edit']")).click();
        WebElement form = browser.waitFor(By.cssSelector(".modal form"));
        browser.type(form, "input_per_mtok", "0.2");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d -> !d.findElements(
                By.xpath(PRICE_ROW + "//*[@data-test='override-price']")).isEmpty());
        assertThat(priceCell("override-price").getText()).contains("$0.20").contains("$0.40");
        WebElement builtIn = priceCell("default-price");
        assertThat(builtIn.getText()).contains("$0.10");
        assertThat(builtIn.getAttribute("class")).contains("replaced");
        JsonNode price = admin("/api/admin/prices/gpt-4.1-nano");
        assertThat(price.path("source").asString()).isEqualTo("override");
        assertThat(price.path("input_per_mtok").decimalValue()).isEqualByComparingTo("0.2");
        assertThat(price.at("/default/input_per_mtok").decimalValue()).isEqualByComparingTo("0.10");
        browser.screenshot("prices");

        priceRow().findElement(By.xpath(".//button[text()='Use default']")).click();
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d -> d.findElements(
                By.xpath(PRICE_ROW + "//*[@data-test='override-price']")).isEmpty());
        assertThat(admin("/api/admin/prices/gpt-4.1-nano").path("source").asString()).isEqualTo("default");
        browser.assertNoScriptErrors();
    }

    private static final String PRICE_ROW = "//table[@data-test='prices']//tr[td/code[text()='gpt-4.1-nano']]";

    private static WebElement priceRow() {
        return browser.waitFor(By.xpath(PRICE_ROW));
    }

    private static WebElement priceCell(String test) {
        return browser.waitFor(By.xpath(PRICE_ROW + "//*[@data-test='" + test + "']"));
    }

    @Test
    void theChineseConsoleRendersAndIsRemembered() {
        signInAsOperator();

        browser.select(browser.test("lang"), "zh");
        browser.waitForText("仪表盘");
        assertThat(browser.test("nav-channels").getText()).isEqualTo("渠道");
        assertThat(browser.driver().findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
                .until(d -> !browser.test("total-requests").getText().equals("…")
                        && !d.findElements(By.cssSelector("[data-test=ledger] dl")).isEmpty()
                        && !d.findElements(By.cssSelector("[data-test=chart] canvas")).isEmpty());
        browser.screenshot("dashboard-zh");
        browser.driver().navigate().refresh();
        browser.waitForText("仪表盘");

        browser.resize(390, 844);
        browser.driver().findElement(By.cssSelector(".menu-button")).click();
        browser.test("nav-users").click();
        browser.waitForText("用户与密钥");
        browser.waitFor(By.cssSelector("[data-test=users], .empty"));
        browser.screenshot("users-phone-zh");
        browser.resize(1280, 900);
        browser.select(browser.test("lang"), "en");
        browser.waitForText("Users and keys");
        browser.assertNoScriptErrors();
    }
}
