package fr.relais.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs)
 * with its own profile, so that two browsers are two people. Every wait polls with a deadline.
 */
public final class Browser implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final String base;

    private Browser(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /**
     * A fresh browser pointed at {@code http://127.0.0.1:<port>/}, whose pages see the hub's clock: {@code Date} is
     * shifted by the test clock's distance from the real time, as Playwright's clock would, so that the page and
     * the hub agree on what "now" and "upcoming" are.
     */
    public static Browser open(int port, TestClock clock) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver (.ci/run installs them)");
        }
        try {
            Path profile = Files.createTempDirectory("relais-chromium-");
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=fr-FR", "--user-data-dir=" + profile);
            options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL")); // console lines for failures
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            Browser browser = new Browser(new ChromeDriver(service, options), profile, "http://127.0.0.1:" + port + "/");
            browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                    java.util.Map.of("source", shiftedDate(clock.offsetFromRealTime())));
            browser.driver.get(browser.base);
            return browser;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shiftedDate(Duration offset) {
        return """
                (() => {
                  const shift = %d, RealDate = Date;
                  class ShiftedDate extends RealDate {
                    constructor(...args) { super(...(args.length ? args : [RealDate.now() + shift])); }
                    static now() { return RealDate.now() + shift; }
                  }
                  globalThis.Date = ShiftedDate;
                })();""".formatted(offset.toMillis());
    }

    /** Logs in through the page: email and password, then the emailed code. */
    public void logIn(String email, String password, Supplier<String> code) {
        type("#login-form input[name=email]", email);
        type("#login-form input[name=password]", password);
        click("#login-form button[type=submit]");
        type("#code-form input[name=code]", code.get());
        click("#code-form button[type=submit]");
        awaitText("#status", "En direct");
    }

    public void go(String hash) {
        driver.get(base + hash);
    }

    /** Opens an address of the hub's, such as a link in an email. */
    public void visit(String url) {
        driver.get(url);
    }

    /** The page's address now. */
    public String address() {
        return driver.getCurrentUrl();
    }

    /**
     * A wait that polls through a page being replaced: a command sent while the portal navigates (after a login,
     * a logout or a closed space) is aborted by the browser, and the next poll finds the new page. A wait that
     * never succeeds still fails at its deadline, with the last error as its cause.
     */
    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, DEADLINE);
        wait.ignoring(WebDriverException.class);
        return wait;
    }

    public WebElement find(String css) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public void type(String css, String text) {
        WebElement input = find(css);
        input.clear();
        input.sendKeys(text);
    }

    /** Sets an input's value the way a date picker would (typing depends on the browser's locale). */
    public void setValue(String css, String value) {
        driver.executeScript("arguments[0].value = arguments[1];", find(css), value);
    }

    /** Gives a file input a file. */
    public void attach(String css, Path file) {
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)))
                .sendKeys(file.toAbsolutePath().toString());
    }

    /** Chooses the option with {@code value} in a select. */
    public void select(String css, String value) {
        new org.openqa.selenium.support.ui.Select(find(css)).selectByValue(value);
    }

    public void click(String css) {
        waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    public void clickLink(String text) {
        waiting().until(ExpectedConditions.elementToBeClickable(By.linkText(text))).click();
    }

    /** Waits until the element's text contains {@code text}. */
    public void awaitText(String css, String text) {
        waiting().withMessage(() -> {
                    screenshot("failed-wait");
                    return css + " never showed '" + text + "'; page: " + pageText() + "; console: " + console();
                })
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    /** Waits until exactly {@code count} elements match. */
    public void awaitCount(String css, int count) {
        waiting().withMessage(() -> css + " never matched " + count + " elements; page: " + pageText())
                .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(css), count));
    }

    /** What the page wrote to its console (errors included). */
    public String console() {
        return driver.manage().logs().get("browser").getAll().stream().map(Object::toString)
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    public String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Types into whatever has the keyboard focus (keys from {@link org.openqa.selenium.Keys} included). */
    public void keys(CharSequence... keys) {
        driver.switchTo().activeElement().sendKeys(keys);
    }

    /** Waits until the element's attribute has {@code value}. */
    public void awaitAttribute(String css, String name, String value) {
        waiting().withMessage(() -> css + "[" + name + "] never became " + value)
                .until(ExpectedConditions.attributeToBe(By.cssSelector(css), name, value));
    }

    /** The size of a phone's screen, or any other. */
    public void resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    /** What axe-core (the accessibility engine) finds against WCAG 2.1 A and AA on the page as it is now. */
    public java.util.List<String> accessibilityProblems() {
        return new com.deque.html.axecore.selenium.AxeBuilder().withTags(java.util.List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                .analyze(driver).getViolations().stream()
                .map(rule -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
                        + rule.getNodes().stream().map(node -> String.valueOf(node.getHtml())).toList())
                .toList();
    }

    /** A Chrome DevTools Protocol command (what the browser offers that no page can do: a push, a permission). */
    public java.util.Map<String, Object> devTools(String method, java.util.Map<String, Object> params) {
        return driver.executeCdpCommand(method, params);
    }

    /** The portal's origin, {@code http://127.0.0.1:<port>}. */
    public String origin() {
        return base.substring(0, base.length() - 1);
    }

    /** Runs a script in the page. */
    public void run(String script) {
        driver.executeScript(script);
    }

    /** What an asynchronous script hands to its callback (its last argument). */
    public Object evaluateAsync(String script) {
        return driver.executeAsyncScript(script);
    }

    /** The value of a script's {@code return}, as text. */
    public String evaluate(String script) {
        return String.valueOf(driver.executeScript(script));
    }

    /** Accepts the page's confirmation dialog. */
    public void acceptDialog() {
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
    }

    /** The page's address from its {@code #} on. */
    public String hash() {
        String url = driver.getCurrentUrl();
        return url.substring(url.indexOf('#'));
    }

    /** Waits until the page's address starts with {@code prefix} (a page elsewhere the portal sent it to); the address. */
    public String awaitAddressStartingWith(String prefix) {
        waiting().withMessage(() -> "the address stayed " + driver.getCurrentUrl())
                .until(driver -> driver.getCurrentUrl().startsWith(prefix));
        return driver.getCurrentUrl();
    }

    /** Waits until the address ends with {@code hash}. */
    public void awaitHash(String hash) {
        waiting().withMessage(() -> "the address stayed " + driver.getCurrentUrl())
                .until(ExpectedConditions.urlToBe(base + hash));
    }

    /** Saves a PNG of the page under target/screenshots (docs/screenshots holds the committed ones). */
    public void screenshot(String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "screenshots"));
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
