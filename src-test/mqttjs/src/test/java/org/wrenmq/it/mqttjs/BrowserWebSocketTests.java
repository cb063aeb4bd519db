package org.wrenmq.it.mqttjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.testing.TestPki;

/**
 * A real browser: the machine's headless Chromium (Debian {@code chromium} and {@code chromium-driver}, no
 * download) loads {@code browser.html}, which uses MQTT.js's browser bundle to subscribe and publish over
 * WebSockets; the test reads the message the page received.
 */
@DisplayName("headless Chromium with MQTT.js's browser bundle")
class BrowserWebSocketTests {
    private static final Duration PAGE_TIME = Duration.ofSeconds(30);
    private static MqttJs mqttJs;
    @TempDir
    Path dir;
    private Broker broker;
    private WebDriver browser;

    @BeforeAll
    static void installMqttJs() {
        mqttJs = MqttJs.install();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @DisplayName("over ws://")
    void overWs() throws Exception {
        broker = WebSocketMqttJsTests.websocketsBroker(dir, "");
        assertThat(roundTripInBrowser("ws://127.0.0.1:" + broker.port() + "/mqtt"))
                .startsWith("browser/echo hello from HeadlessChrome");
    }

    @Test
    @DisplayName("over wss:// (the test CA is not in the browser's store: certificate errors are ignored)")
    void overWss() throws Exception {
        TestPki pki = TestPki.create(dir);
        Path[] server = pki.server("server", TestPki.KeyForm.PKCS8_EC);
        broker = WebSocketMqttJsTests.websocketsBroker(dir, "certfile " + server[0] + "\nkeyfile " + server[1] + "\n");
        assertThat(roundTripInBrowser("wss://127.0.0.1:" + broker.port() + "/mqtt"))
                .startsWith("browser/echo hello from HeadlessChrome");
    }

    private String roundTripInBrowser(String url) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(new File(System.getProperty("chromium.binary", "/usr/bin/chromium")))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--ignore-certificate-errors", "--allow-file-access-from-files");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.get(mqttJs.dir().resolve("browser.html").toUri() + "?url=" + url);
        new WebDriverWait(browser, PAGE_TIME).until(b ->
                !b.findElement(By.id("result")).getText().isEmpty() || !b.findElement(By.id("error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("error")).getText()).as("error shown by the page").isEmpty();
        return browser.findElement(By.id("result")).getText();
    }
}
