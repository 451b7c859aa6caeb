package dev.stagecoach.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through Selenium: Debian's {@code chromium} and its
 * {@code chromedriver}, which {@code .ci/run} installs when they are missing. Selenium Manager
 * is never asked to download a driver.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("stagecoach.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("stagecoach.test.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;

    Browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": `bash .ci/run` installs them (apt-get install chromium chromium-driver)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        driver = new ChromeDriver(service, options);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement await(By by, Duration within) {
        return new WebDriverWait(driver, within).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    WebElement awaitClickable(By by, Duration within) {
        return new WebDriverWait(driver, within).until(ExpectedConditions.elementToBeClickable(by));
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /**
     * Clicks the first element matching {@code css} as it is now, found and clicked in one script:
     * a live page redraws (the run graph does at every event), so a reference found earlier goes stale.
     */
    void clickNow(String css, Duration within) {
        org.awaitility.Awaitility.await().atMost(within).until(() -> Boolean.TRUE.equals(driver.executeScript(
                "const e = document.querySelector(arguments[0]);"
                        + " if (!e) { return false; } e.dispatchEvent(new MouseEvent('click', {bubbles: true})); return true;", css)));
    }

    Object script(String code, Object... arguments) {
        return driver.executeScript(code, arguments);
    }

    void screenshot(Path file) throws java.io.IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
