package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wrenmq.broker.Broker;
import org.wrenmq.broker.testing.SecurityFiles;

/**
 * The web console in a real browser: the machine's headless Chromium (Debian {@code chromium} and
 * {@code chromium-driver}, no download) logs in with a user of the broker's password_file and works a live broker
 * that real MQTT 5 clients (Paho) use. Screenshots of each page go to {@code console.screenshots}
 * (docs/images holds copies).
 */
@DisplayName("web console in headless Chromium")
class WebConsoleIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Broker broker;
    private WebDriver browser;
    private WebDriverWait wait;
    private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        Path passwords = SecurityFiles.passwords(dir.resolve("passwd"),
                Map.of("operator", "op-s3cret", "device", "dev-s3cret"));
        Path acl = SecurityFiles.acl(dir.resolve("acl"),
                "user operator", "topic readwrite #", "topic readwrite $CONTROL/wrenmq/#",
                "user device", "topic readwrite plant/#");
        broker = Broker.builder().listener(0, "127.0.0.1").set("allow_anonymous", "false")
                .set("password_file", passwords.toString()).set("acl_file", acl.toString())
                .set("persistence", "false").set("http_listener", "0").build().start();

        ChromeOptions options = new ChromeOptions()
                .setBinary(new File(System.getProperty("chromium.binary", "/usr/bin/chromium")))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 860));
        wait = new WebDriverWait(browser, PATIENCE);
    }

    @AfterEach
    void stop() {
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect();
                }
                c.close();
            } catch (MqttException e) {
                // the test is over; the broker closes what is left
            }
        }
        if (browser != null) {
            browser.quit();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @DisplayName("log in, see a connected client, disconnect it, publish to a subscriber, browse and delete a retained message")
    void operatorWorksALiveBrokerFromTheBrowser() throws Exception {
        AtomicInteger disconnectReason = new AtomicInteger(-1);
        MqttClient sensor = connect("sensor-42", new Events() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnectReason.set(response.getReturnCode());
            }
        });
        sensor.publish("plant/line1/temperature", "21.5".getBytes(), 1, true);
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient dashboard = connect("dashboard", new Events() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload()));
            }
        });
        dashboard.subscribe("plant/+/console", 1);
        dashboard.subscribe("$share/loggers/plant/#", 0);

        open("/");
        assertThat(text("login-error")).isEmpty();
        browser.findElement(By.id("login-user")).sendKeys("device");
        browser.findElement(By.id("login-password")).sendKeys("wrong");
        browser.findElement(By.id("login-submit")).click();
        wait.until(b -> text("login-error").contains("Wrong user name or password"));
        browser.findElement(By.id("login-user")).clear();
        browser.findElement(By.id("login-user")).sendKeys("operator");
        browser.findElement(By.id("login-password")).clear();
        browser.findElement(By.id("login-password")).sendKeys("op-s3cret");
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("overview")));
        assertThat(text("who")).isEqualTo("user operator");
        wait.until(b -> b.findElements(By.cssSelector("#chart-received polyline")).size() == 1);
        assertThat(text("cards")).contains("2\nClients connected");
        screenshot("console-overview");

        open("/#clients");
        browser.findElement(By.id("client-search")).sendKeys("sensor");
        WebElement row = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#client-table tr[data-client-id='sensor-42']")));
        assertThat(browser.findElements(By.cssSelector("#client-table tbody tr"))).hasSize(1);
        row.click();
        wait.until(b -> text("detail-id").equals("sensor-42"));
        assertThat(text("detail-address")).startsWith("127.0.0.1:");
        assertThat(text("detail-protocol")).isEqualTo("5.0");
        assertThat(text("detail-keepalive")).isEqualTo("30 s");
        assertThat(text("detail-connected")).isEqualTo("yes");
        screenshot("console-clients");
        browser.findElement(By.id("disconnect")).click();
        await("sensor-42 disconnected by the console").atMost(PATIENCE).until(() -> !sensor.isConnected());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(disconnectReason.get())
                .as("MQTT 5 reason: administrative action").isEqualTo(0x98));
        wait.until(b -> text("status").contains("client 'sensor-42' disconnected"));
        wait.until(b -> text("client-count").equals("0 clients")); // its session ended with the connection

        open("/#subscriptions");
        wait.until(b -> text("group-table").contains("loggers"));
        assertThat(text("group-table")).contains("plant/#").contains("dashboard");
        assertThat(text("subscription-table")).contains("plant/+/console");
        screenshot("console-subscriptions");

        open("/#publish");
        browser.findElement(By.id("publish-topic")).sendKeys("plant/line2/console");
        browser.findElement(By.id("publish-payload")).sendKeys("hello from the browser");
        browser.findElement(By.id("publish-qos")).sendKeys("1");
        browser.findElement(By.id("publish-submit")).click();
        wait.until(b -> text("status").contains("published to 'plant/line2/console'"));
        await("the subscriber receives the console's message").atMost(PATIENCE)
                .untilAsserted(() -> assertThat(received).contains("plant/line2/console hello from the browser"));
        screenshot("console-publish");

        open("/#retained");
        browser.findElement(By.id("retained-filter")).sendKeys("plant/#");
        browser.findElement(By.cssSelector("#retained-form button")).click();
        WebElement retained = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#retained-table tr[data-topic='plant/line1/temperature']")));
        assertThat(retained.getText()).contains("21.5");
        screenshot("console-retained");
        retained.findElement(By.tagName("button")).click();
        wait.until(b -> text("retained-count").equals("0 retained messages"));
        assertThat(broker.retained("plant/#", 10)).isEmpty();
    }

    @Test
    @DisplayName("a user the acl_file does not grant $CONTROL/wrenmq/admin sees no clients and may publish only where allowed")
    void theConsoleFollowsTheAclFile() throws Exception {
        open("/");
        browser.findElement(By.id("login-user")).sendKeys("device");
        browser.findElement(By.id("login-password")).sendKeys("dev-s3cret");
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("overview")));

        open("/#clients");
        wait.until(b -> text("status").contains("does not let this user see other clients"));

        open("/#publish");
        browser.findElement(By.id("publish-topic")).sendKeys("office/door");
        browser.findElement(By.id("publish-submit")).click();
        wait.until(b -> text("status").contains("the acl_file does not allow this user that"));
    }

    private void open(String path) {
        browser.get("http://127.0.0.1:" + broker.httpAddress().getPort() + path);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private void screenshot(String name) throws Exception {
        Path folder = Path.of(System.getProperty("console.screenshots", "target/screenshots"));
        Files.createDirectories(folder);
        Files.write(folder.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private MqttClient connect(String clientId, Events events) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + broker.port(), clientId, new MemoryPersistence());
        clients.add(client);
        client.setCallback(events);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName("device");
        options.setPassword("dev-s3cret".getBytes());
        options.setKeepAliveInterval(30);
        options.setAutomaticReconnect(false);
        client.connect(options);
        return client;
    }

    /** A Paho callback that ignores what a test does not override. */
    private static class Events implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
