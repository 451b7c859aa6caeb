package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private static WebhookReceiver receiver;
    private static ScheduledExecutorService scheduler;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WebhookDelivery webhooks = new WebhookDelivery(
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build(),
            new ObjectMapper(), scheduler,
            new ExponentialBackoff(Duration.ofMillis(10), Duration.ofMillis(40), () -> 1.0),
            3, TIMEOUT, new DeliveryMetrics(registry));

    @BeforeAll
    static void start() {
        receiver = WebhookReceiver.start();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        scheduler.shutdownNow();
    }

    @Test
    void answerOf2xxIsDeliveredAtOnce() {
        String url = receiver.endpoint("accepted", 202);

        assertThat(deliver(url)).isEqualTo(new DeliveryOutcome.Delivered(1));
        assertThat(receiver.received("accepted")).hasSize(1);
    }

    @Test
    void aDeliveryAKilledNotifierBeganIsSentAgainWithTheSameKeyAndFlaggedAsAPossibleDuplicate() {
        String url = receiver.endpoint("resumed", 204);
        Notification notification = notification(url);

        webhooks.deliver(notification).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        DeliveryOutcome again = webhooks.deliverAgain(notification, Instant.now()).toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(again).isEqualTo(new DeliveryOutcome.Delivered(1));
        List<WebhookReceiver.Received> received = receiver.received("resumed");
        assertThat(received).extracting(r -> header(r, "Idempotency-Key")).containsExactly("run-9:on_success:0", "run-9:on_success:0");
        assertThat(received).extracting(r -> header(r, WebhookDelivery.POSSIBLE_DUPLICATE)).containsExactly(null, "true");
    }

    @Test
    void requestTimeoutAndTooManyRequestsAreRetried() {
        String url = receiver.endpoint("busy", 408, 429, 204);

        assertThat(deliver(url)).isEqualTo(new DeliveryOutcome.Delivered(3));
        assertThat(registry.counter(DeliveryMetrics.RETRIES, "channel", "webhook").count()).isEqualTo(2.0);
    }

    @Test
    void clientErrorIsNotRetried() {
        String url = receiver.endpoint("gone", 404);

        assertThat(deliver(url)).isEqualTo(new DeliveryOutcome.GivenUp("webhook " + url
                + " answered 404, which is not retried: check the URL and what the receiver expects"));
        assertThat(receiver.received("gone")).hasSize(1);
    }

    @Test
    void redirectIsNotFollowed() {
        String url = receiver.endpoint("moved", 301);

        assertThat(deliver(url)).isEqualTo(new DeliveryOutcome.GivenUp("webhook " + url
                + " answered 301, a redirect, which is not followed: point the target at the final URL"));
    }

    @Test
    void serverErrorsUntilTheLastAttemptAreGivenUpWithTheLastAnswer() {
        String url = receiver.endpoint("broken", 500, 502, 503);

        assertThat(deliver(url)).isEqualTo(new DeliveryOutcome.GivenUp("webhook " + url + " answered 503 after 3 attempts"));
        assertThat(receiver.received("broken")).hasSize(3);
    }

    @Test
    void receiverThatNeverAnswersTimesOutAndIsRetried() {
        String url = receiver.silentEndpoint("hung");

        assertThat(deliver(url)).isEqualTo(new DeliveryOutcome.GivenUp("webhook " + url
                + " did not answer within 500ms after 3 attempts"));
    }

    @Test
    void refusedConnectionIsRetried() {
        String url = WebhookReceiver.refusedEndpoint("nobody-home");

        DeliveryOutcome outcome = deliver(url);

        assertThat(outcome).isInstanceOf(DeliveryOutcome.GivenUp.class);
        assertThat(((DeliveryOutcome.GivenUp) outcome).reason())
                .startsWith("webhook " + url + " could not be reached (")
                .endsWith(") after 3 attempts");
    }

    @Test
    void targetThatIsNoHttpUrlIsGivenUpWithoutACall() {
        Notification notification = notification("ftp://example.test/hook");

        assertThat(webhooks.deliver(notification).toCompletableFuture().join()).isEqualTo(new DeliveryOutcome.GivenUp(
                "webhook target \"ftp://example.test/hook\" is not an http(s) URL: fix the notify target of pipeline nightly-build"));
    }

    @Test
    void queryAndUserInfoOfATargetStayOutOfReasonsAndLogs() {
        assertThat(WebhookDelivery.shown(URI.create("https://user:secret@hooks.example.test:8443/services/x?token=abc")))
                .isEqualTo("https://hooks.example.test:8443/services/x?...");
    }

    private static String header(WebhookReceiver.Received received, String name) {
        return received.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    private DeliveryOutcome deliver(String url) {
        return webhooks.deliver(notification(url)).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static Notification notification(String url) {
        return Notification.newBuilder(NotificationDispatcherTest.webhook("run-9:on_success:0"))
                .setChannel(Channel.WEBHOOK)
                .setTarget(url)
                .build();
    }
}
