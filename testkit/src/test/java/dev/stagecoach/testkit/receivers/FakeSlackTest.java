package dev.stagecoach.testkit.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fake is what tells the notifier whether a message arrived; a fake that keeps the wrong
 * time once made the notifier look as if it posted twice.
 */
class FakeSlackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant MADE = Instant.parse("2026-12-03T09:00:00Z");

    private final MovableClock clock = new MovableClock(MADE);
    private final FakeSlack slack = new FakeSlack(Map.of("deployments", "C0DEPLOY"), clock);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        slack.close();
    }

    @Test
    void aMessageIsStampedWithTheTimeItIsPostedNotTheTimeTheWorkspaceWasMade() throws Exception {
        clock.now = MADE.plus(Duration.ofMinutes(10));
        JsonNode posted = post("first");
        JsonNode again = post("second");

        assertThat(posted.path("ts").asText()).isEqualTo(MADE.plus(Duration.ofMinutes(10)).getEpochSecond() + ".000000");
        // Two posts in the same microsecond still get timestamps of their own, in order.
        assertThat(again.path("ts").asText()).isEqualTo(MADE.plus(Duration.ofMinutes(10)).getEpochSecond() + ".000001");
    }

    @Test
    void historySinceAMomentListsWhatWasPostedAfterItNewestFirst() throws Exception {
        post("before");
        clock.now = MADE.plus(Duration.ofMinutes(5));
        post("after");
        post("latest");

        JsonNode page = history(MADE.plus(Duration.ofMinutes(4)).getEpochSecond());

        assertThat(page.path("ok").asBoolean()).isTrue();
        assertThat(page.path("messages").findValuesAsText("text")).containsExactly("latest", "after");
    }

    private JsonNode post(String text) throws Exception {
        String body = JSON.createObjectNode().put("channel", "#deployments").put("text", text).toString();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(slack.apiUrl() + "/chat.postMessage"))
                .header("Authorization", "Bearer " + FakeSlack.TOKEN)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("ok").asBoolean()).as(response.body()).isTrue();
        return answer;
    }

    private JsonNode history(long oldest) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(slack.apiUrl()
                        + "/conversations.history?channel=C0DEPLOY&oldest=" + oldest))
                .header("Authorization", "Bearer " + FakeSlack.TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static final class MovableClock extends Clock {

        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
