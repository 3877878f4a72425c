package dev.antler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromedriver}) driven over WebDriver, with a fresh
 * profile. {@link #start()} skips the calling test, saying why, when either is not installed.
 */
public final class Browser implements AutoCloseable {

    /**
     * Where screenshots go: target/screenshots, or with {@code -Dantler.screenshots=docs/screenshots} the README's
     * pictures (so an ordinary test run leaves the source tree as it was).
     */
    public static final Path SCREENSHOTS = Path.of(System.getProperty("antler.screenshots", "target/screenshots"));
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<Path> CHROMIUM = List.of(Path.of("/usr/lib/chromium/chromium"), Path.of("/usr/bin/chromium"));

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    public static Browser start() {
        Path chromium = CHROMIUM.stream().filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(chromium != null && Files.isExecutable(DRIVER),
                "browser tests skipped: no Chromium (install Debian's chromium and chromium-driver: "
                        + "apt-get install -y chromium chromium-driver)");
        try {
            Path profile = Files.createTempDirectory("antler-chromium-");
            ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile()).addArguments(
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=en-US");
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(new Dimension(1280, 900));
            return new Browser(driver, service, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Opens the console at {@code baseUrl} with no session cookie: the sign-in page. */
    public void signedOut(String baseUrl) {
        driver.get(baseUrl + "/console/signin");
        driver.manage().deleteAllCookies();
        driver.get(baseUrl + "/");
        test("signin-form");
    }

    /** Opens the sign-in page at {@code baseUrl} signed out, picks {@code mode} (admin or user), and answers its form. */
    public WebElement signInForm(String baseUrl, String mode) {
        signedOut(baseUrl);
        test("mode-" + mode).click();
        return test("signin-form");
    }

    /** Signs in with the admin key and waits for the operator's dashboard. */
    public void signInWithAdminKey(String baseUrl, String adminKey) {
        WebElement form = signInForm(baseUrl, "admin");
        type(form, "admin_key", adminKey);
        test("sign-in").click();
        test("totals");
    }

    /** Signs in as the console user {@code name} and waits for the signed-in page. */
    public void signInAsUser(String baseUrl, String name, String password) {
        submitUserSignIn(baseUrl, name, password);
        test("who");
    }

    /** Fills the user sign-in form and submits it, waiting for nothing (the sign-in may be refused). */
    public void submitUserSignIn(String baseUrl, String name, String password) {
        WebElement form = signInForm(baseUrl, "user");
        type(form, "username", name);
        type(form, "password", password);
        test("sign-in").click();
    }

    /** Waits up to 10 s for the element with {@code data-test="name"} to be shown. */
    public WebElement test(String name) {
        return waitFor(By.cssSelector("[data-test=\"" + name + "\"]"));
    }

    public WebElement waitFor(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
        });
    }

    /** Waits until the page's text contains {@code text}. */
    public void waitForText(String text) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElement(By.tagName("body")).getText()
                .contains(text));
    }

    /** Waits until the element with {@code data-test="name"} shows exactly {@code text}, reloading nothing. */
    public void waitForTestText(String name, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> test(name).getText().equals(text));
    }

    /** Types into the input named {@code name} inside {@code form}. */
    public void type(WebElement form, String name, String text) {
        WebElement input = form.findElement(By.name(name));
        input.clear();
        input.sendKeys(text);
    }

    /** Closes the open dialog with its close button. */
    public void closeDialog() {
        driver.findElement(By.cssSelector(".modal header button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector(".overlay")).isEmpty());
    }

    public void select(WebElement select, String value) {
        new Select(select).selectByValue(value);
    }

    public String bodyText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Saves the page as {name}.png in {@link #SCREENSHOTS}. */
    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /**
     * Fails on any script error or Content-Security-Policy violation the page logged since the last call. A failed
     * fetch the page handled itself (an error answer it shows) is logged by Chromium too, and is not counted.
     */
    public void assertNoScriptErrors() {
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource"))
                .toList();
        assertThat(errors).as("the browser's console").isEmpty();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // A temporary profile left behind is harmless.
            }
        }
    }
}
