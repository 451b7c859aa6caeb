package dev.stagecoach.cli;

import static dev.stagecoach.cli.EndToEnd.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.receivers.FakePagerDuty;
import dev.stagecoach.testkit.receivers.FakeSlack;
import dev.stagecoach.testkit.receivers.MailParts;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Notifications on the local stack, every part a real process or server: the notifier gets
 * its channel settings from the environment `up` and `demo` pass it, mails through an SMTP
 * server in this JVM (GreenMail) and posts to HTTP servers that check requests as Slack and
 * PagerDuty do; then it is killed with kill -9 in the middle of a burst, and once more while
 * Slack and a webhook hold their answers to what it sent.
 */
class NotificationsEndToEndIT {

    static final Topics TOPICS = new Topics(Topics.DEFAULT_PREFIX);
    static final int MAX_IN_FLIGHT = 4;
    static final Duration DEADLINE = Duration.ofSeconds(60);
    // Offsets committed once a minute rather than every 5 s: at the kill, everything the burst
    // delivered is uncommitted, and only the delivered topic keeps it from being sent again.
    static final List<String> NOTIFIER_OPTIONS = List.of("-Dmp.messaging.incoming.notifications.auto.commit.interval.ms=60000");

    static Path dir;
    static GreenMail smtp;
    static FakeSlack slack;
    static FakePagerDuty pagerDuty;
    static WebhookSink slowWebhook;
    static LocalStack stack;
    static ApiClient api;

    @BeforeAll
    static void startStack() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-notifications-" + System.currentTimeMillis())).toAbsolutePath();
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        slack = new FakeSlack(Map.of("deployments", "C0DEPLOYS01", "burst", "C0BURST001"));
        pagerDuty = new FakePagerDuty();
        slowWebhook = new WebhookSink(Duration.ofMillis(25));
        // As `up` passes them from its own environment (see LocalStack.withNotifierSettings).
        Map<String, String> environment = Map.of(
                "QUARKUS_MAILER_HOST", "127.0.0.1",
                "QUARKUS_MAILER_PORT", Integer.toString(smtp.getSmtp().getPort()),
                "QUARKUS_MAILER_FROM", "stagecoach@example.com",
                "STAGECOACH_NOTIFIER_SLACK_TOKEN", FakeSlack.TOKEN,
                "STAGECOACH_NOTIFIER_SLACK_API_URL", slack.apiUrl(),
                "STAGECOACH_NOTIFIER_PAGERDUTY_EVENTS_URL", pagerDuty.eventsUrl(),
                "STAGECOACH_NOTIFIER_PAGERDUTY_ROUTING_KEY", FakePagerDuty.ROUTING_KEY,
                "STAGECOACH_NOTIFIER_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT),
                "PATH_IS_NOT_A_NOTIFIER_SETTING", "ignored");
        stack = new LocalStack(Stagecoach.home(), dir.resolve("stack")).withNotifierSettings(environment).stopWithThisJvm();
        stack.startBroker();
        stack.startServices(stack.bootstrapServers(), Map.of(LocalStack.NOTIFIER, NOTIFIER_OPTIONS));
        api = new ApiClient(stack.schedulerUrl(), stack.token());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (slack != null) {
            slack.close();
        }
        if (pagerDuty != null) {
            pagerDuty.close();
        }
        if (slowWebhook != null) {
            slowWebhook.close();
        }
    }

    @Test
    void theSeedsNotificationsReachEveryTargetAndASuccessResolvesTheIncidentAFailureOpened() throws Exception {
        String pipeline = "seeded-" + System.currentTimeMillis();
        Path file = dir.resolve(pipeline + ".yaml");
        Files.writeString(file, "pipeline:\n  name: " + pipeline + "\n" + """
                  parameters:
                    exit_code: {type: integer, default: 0}
                  options:
                    retry_policy: {max_attempts: 1}
                  stages:
                    - name: validation
                      run: echo valid
                    - name: processing
                      run: |
                        echo "loading s3://bucket/day=01"
                        echo "ERROR: checksum mismatch in part-0007"
                        exit "$PARAM_EXIT_CODE"
                """ + seedNotifications());

        String failed = run(file, "exit_code=3");
        assertThat(awaitEnd(api, failed, DEADLINE).path("status").asText()).isEqualTo("FAILED");
        JsonNode trigger = await().atMost(DEADLINE).until(() -> pagerDutyEvent("trigger", failed), e -> e != null);
        String succeeded = run(file, "exit_code=0");
        assertThat(awaitEnd(api, succeeded, DEADLINE).path("status").asText()).isEqualTo("SUCCEEDED");

        // on_start: team@example.com and #deployments, for both runs.
        MimeMessage failedStart = awaitMail("team@example.com", failed);
        assertThat(failedStart.getSubject()).isEqualTo("[stagecoach] " + pipeline + " run " + failed + " started");
        assertThat(MailParts.text(failedStart, "text/plain")).contains("Started by: " + LocalStack.LOCAL_TOKEN_NAME);
        awaitMail("team@example.com", succeeded);
        // on_failure: oncall@example.com with the failed stage, its exit code and output, and pagerduty critical.
        MimeMessage failure = awaitMail("oncall@example.com", failed);
        assertThat(failure.getSubject()).isEqualTo("[stagecoach] " + pipeline + " run " + failed + " failed");
        assertThat(MailParts.text(failure, "text/plain")).contains("Failed stage: processing (exit code 3)",
                "ERROR: checksum mismatch in part-0007", stack.schedulerUrl() + "/api/runs/" + failed + "/report");
        assertThat(MailParts.text(failure, "text/html")).contains("<code>processing</code> (exit code 3)", "checksum mismatch in part-0007");
        assertThat(failure.getMessageID()).matches("<[0-9a-f]{32}@stagecoach\\.notifier>");
        assertThat(trigger.path("dedup_key").asText()).isEqualTo("stagecoach/" + pipeline);
        assertThat(trigger.path("payload").path("severity").asText()).isEqualTo("critical");
        assertThat(trigger.path("payload").path("summary").asText())
                .isEqualTo(pipeline + " run " + failed + " FAILED: stage processing exited with code 3");
        // on_success: #deployments, and the incident of the failure is resolved.
        JsonNode resolve = await().atMost(DEADLINE).until(() -> pagerDutyEvent("resolve", succeeded), e -> e != null);
        assertThat(resolve.path("dedup_key").asText()).isEqualTo("stagecoach/" + pipeline);
        List<String> slack = await().atMost(DEADLINE).until(() -> slackTexts(pipeline), texts -> texts.size() == 3);
        assertThat(slack).containsExactlyInAnyOrder(
                "[stagecoach] " + pipeline + " run " + failed + " started",
                "[stagecoach] " + pipeline + " run " + succeeded + " started",
                "[stagecoach] " + pipeline + " run " + succeeded + " succeeded");
        assertThat(slackMessages()).filteredOn(m -> m.path("text").asText().contains(pipeline))
                .allSatisfy(m -> assertThat(m.path("channel").asText()).isEqualTo("#deployments"));
        // Nobody is told twice, and nobody else is told.
        await().during(Duration.ofSeconds(2)).atMost(DEADLINE).until(() -> mailsAbout(pipeline).size() == 3);
        assertThat(pagerDutyEvents()).filteredOn(e -> e.path("dedup_key").asText().equals("stagecoach/" + pipeline))
                .hasSize(2);
    }

    @Test
    void aNotifierKilledInTheMiddleOfABurstDeliversEveryNotificationAfterItsRestartAndNoneDeliveredBeforeAgain()
            throws Exception {
        Topic<Notification> notifications = TOPICS.notifications();
        Map<TopicPartition, Long> before = endOffsets(notifications.name());
        String burst = "burst-" + System.currentTimeMillis();
        List<Notification> sent = new ArrayList<>();
        // Slack keeps a message at once and answers 25 ms later: a notifier killed in between has posted without knowing.
        slack.answerAfter(Duration.ofMillis(25));
        try (KafkaProducer<String, Notification> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                notifications.keySerde().serializer(), notifications.valueSerde().serializer())) {
            for (int i = 0; i < 200; i++) {
                Notification notification = burstNotification(burst + "-run-" + (i % 20), burst + ":" + i,
                        i % 2 == 0 ? Channel.WEBHOOK : Channel.SLACK);
                producer.send(new ProducerRecord<>(notifications.name(), notification.getRunId(), notification));
                sent.add(notification);
            }
        } finally {
            slack.answerAfter(Duration.ZERO);
        }
        List<String> webhookIds = idsOf(sent, Channel.WEBHOOK);
        List<String> slackIds = idsOf(sent, Channel.SLACK);

        await().atMost(DEADLINE).until(() -> webhookCopies(burst).size() + slackCopies(burst).size() >= 60);
        stack.kill(LocalStack.NOTIFIER);
        int deliveredBeforeKill = webhookCopies(burst).size() + slackCopies(burst).size();
        long committedBeforeKill = committedSince(before);
        stack.startService(LocalStack.NOTIFIER, LocalStack.NOTIFIER, NOTIFIER_OPTIONS);
        stack.awaitReady(LocalStack.NOTIFIER);

        await().atMost(Duration.ofSeconds(90)).until(() -> Set.copyOf(webhookCopies(burst)).size() == webhookIds.size()
                && Set.copyOf(slackCopies(burst)).size() == slackIds.size());
        await().during(Duration.ofSeconds(2)).atMost(DEADLINE).until(() -> Set.copyOf(webhookCopies(burst)).size() == webhookIds.size()
                && Set.copyOf(slackCopies(burst)).size() == slackIds.size());
        Map<String, List<WebhookSink.Delivery>> webhooks = webhookDeliveries(burst).stream()
                .collect(Collectors.groupingBy(WebhookSink.Delivery::idempotencyKey));
        List<String> webhookTwice = webhooks.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
        List<WebhookSink.Delivery> flagged = webhookDeliveries(burst).stream().filter(NotificationsEndToEndIT::flaggedAsPossibleDuplicate)
                .toList();
        String notifierLog = Files.readString(stack.logsDir().resolve(LocalStack.NOTIFIER + ".log"));

        System.out.printf("notifier burst: %d notifications, %d delivered before the kill, %d of them committed; after the"
                        + " restart %d resumed (%d found in Slack's history), %d webhooks sent twice, each flagged%n",
                sent.size(), deliveredBeforeKill, committedBeforeKill, occurrences(notifierLog, "notification resumed", burst),
                occurrences(notifierLog, "notification found delivered", burst), webhookTwice.size());
        assertThat(webhooks.keySet()).as("every webhook delivered").containsExactlyInAnyOrderElementsOf(webhookIds);
        // Slack has no idempotency key: a post the killed notifier made is found in the channel's history, not posted again.
        assertThat(slackCopies(burst)).as("every Slack message posted, none twice").containsExactlyInAnyOrderElementsOf(slackIds);
        // Without the delivered ids on their topic, all that was delivered but not committed would come again.
        assertThat(deliveredBeforeKill - committedBeforeKill).as("delivered but not committed at the kill")
                .isGreaterThan(10 * MAX_IN_FLIGHT);
        // A webhook under way at the kill (sent and not answered, or answered and not recorded) comes again, with the
        // same Idempotency-Key and flagged: only those, at most one per delivery in flight.
        assertThat(flagged).as("webhooks resumed after the restart").hasSizeLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(webhooks.values()).allSatisfy(copies -> {
            assertThat(copies).hasSizeLessThanOrEqualTo(2);
            assertThat(copies.subList(1, copies.size())).as("a second copy").allMatch(NotificationsEndToEndIT::flaggedAsPossibleDuplicate);
        });
        assertThat(webhookDeliveries(burst)).allSatisfy(d -> assertThat(d.idempotencyKey()).isEqualTo(d.body().path("dedupeId").asText()));
    }

    @Test
    void aNotifierToldToStopFinishesTheDeliveryUnderWaySoThatTheNextStartSendsNothingAgain() throws Exception {
        Topic<Notification> notifications = TOPICS.notifications();
        String graceful = "graceful-" + System.currentTimeMillis();
        Notification toWebhook = burstNotification(graceful + "-run", graceful + ":webhook", Channel.WEBHOOK);
        slowWebhook.holdAnswers();
        try (KafkaProducer<String, Notification> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                notifications.keySerde().serializer(), notifications.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(notifications.name(), toWebhook.getRunId(), toWebhook));
        }
        await().atMost(DEADLINE).until(() -> webhookCopies(graceful).size() == 1);

        // SIGTERM, as a rolling update sends it: the notifier waits for the webhook's answer before it ends.
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> stack.stop(LocalStack.NOTIFIER));
        await().atMost(DEADLINE).until(() -> notifierLog().contains("stopping once the deliveries under way have ended underWay=1"));
        slowWebhook.releaseAnswers();
        stopped.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(notifierLog()).contains("notification delivered dedupeId=" + toWebhook.getDedupeId())
                .doesNotContain("stopping with deliveries under way");

        long startsBefore = notifierLog().lines().filter(line -> line.contains("delivered notifications read back")).count();
        stack.startService(LocalStack.NOTIFIER, LocalStack.NOTIFIER, NOTIFIER_OPTIONS);
        stack.awaitReady(LocalStack.NOTIFIER);
        await().atMost(DEADLINE).until(() -> notifierLog().lines().filter(line -> line.contains("delivered notifications read back"))
                .count() > startsBefore);
        await().during(Duration.ofSeconds(2)).atMost(DEADLINE).until(() -> webhookCopies(graceful).size() == 1);
        assertThat(occurrences(notifierLog(), "notification resumed", graceful)).isZero();
        assertThat(webhookDeliveries(graceful)).noneMatch(NotificationsEndToEndIT::flaggedAsPossibleDuplicate);
    }

    private static String notifierLog() throws IOException {
        return Files.readString(stack.logsDir().resolve(LocalStack.NOTIFIER + ".log"));
    }

    @Test
    void aDeliveryUnderWayAtAKillIsFoundInSlacksHistoryOrSentAgainFlaggedAsAPossibleDuplicate() throws Exception {
        Topic<Notification> notifications = TOPICS.notifications();
        String held = "held-" + System.currentTimeMillis();
        Notification toSlack = burstNotification(held + "-run", held + ":slack", Channel.SLACK);
        Notification toWebhook = burstNotification(held + "-run", held + ":webhook", Channel.WEBHOOK);
        slack.holdAnswers();
        slowWebhook.holdAnswers();
        try (KafkaProducer<String, Notification> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                notifications.keySerde().serializer(), notifications.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(notifications.name(), toSlack.getRunId(), toSlack));
            producer.send(new ProducerRecord<>(notifications.name(), toWebhook.getRunId(), toWebhook));
        }
        // Both receivers have their notification; the notifier waits for their answers when it is killed.
        await().atMost(DEADLINE).until(() -> slackCopies(held).size() == 1 && webhookCopies(held).size() == 1);
        stack.kill(LocalStack.NOTIFIER);
        slack.releaseAnswers();
        slowWebhook.releaseAnswers();
        stack.startService(LocalStack.NOTIFIER, LocalStack.NOTIFIER, NOTIFIER_OPTIONS);
        stack.awaitReady(LocalStack.NOTIFIER);

        List<WebhookSink.Delivery> copies = await().atMost(DEADLINE).until(() -> webhookDeliveries(held), d -> d.size() == 2);
        await().atMost(DEADLINE).until(() -> Files.readString(stack.logsDir().resolve(LocalStack.NOTIFIER + ".log"))
                .contains("notification found delivered, not sent again dedupeId=" + toSlack.getDedupeId()));
        assertThat(copies).extracting(NotificationsEndToEndIT::flaggedAsPossibleDuplicate).containsExactly(false, true);
        assertThat(copies).extracting(WebhookSink.Delivery::idempotencyKey).containsOnly(toWebhook.getDedupeId());
        await().during(Duration.ofSeconds(2)).atMost(DEADLINE).until(() -> slackCopies(held).size() == 1
                && webhookCopies(held).size() == 2);
    }

    /** The seed's block, with the one change its own warning asks for: YAML reads an unquoted # as a comment. */
    private static String seedNotifications() throws Exception {
        String seed = Files.readString(Stagecoach.home().resolve("examples/seed-pipeline.yaml"));
        return seed.substring(seed.indexOf("  notifications:")).replace("slack: #deployments", "slack: \"#deployments\"");
    }

    private static String run(Path file, String parameter) {
        EndToEnd.CliRun cli = EndToEnd.cli("run", file.toString(), "--param", parameter, "--server", stack.schedulerUrl(),
                "--token", stack.token());
        assertThat(cli.exitCode()).as(cli.output()).isEqualTo(0);
        return cli.runId();
    }

    private static JsonNode pagerDutyEvent(String action, String runId) {
        return pagerDutyEvents().stream()
                .filter(e -> e.path("event_action").asText().equals(action))
                .filter(e -> action.equals("resolve") || e.path("payload").path("summary").asText().contains(runId))
                .reduce((first, second) -> second).orElse(null);
    }

    private static List<String> slackTexts(String pipeline) {
        return slackMessages().stream().map(m -> m.path("text").asText()).filter(t -> t.contains(pipeline)).toList();
    }

    private static MimeMessage awaitMail(String to, String runId) {
        return await().atMost(DEADLINE).until(() -> Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> recipients(m).contains(to) && subject(m).contains(runId)).findFirst().orElse(null), m -> m != null);
    }

    private static List<MimeMessage> mailsAbout(String pipeline) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> subject(m).contains(pipeline)).toList();
    }

    private static List<String> recipients(MimeMessage message) {
        try {
            return Arrays.stream(message.getAllRecipients()).map(Address::toString).toList();
        } catch (jakarta.mail.MessagingException e) {
            return List.of();
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (jakarta.mail.MessagingException e) {
            return "";
        }
    }

    private static Notification burstNotification(String runId, String dedupeId, Channel channel) {
        return Notification.newBuilder()
                .setDedupeId(dedupeId)
                .setRunId(runId)
                .setPipeline("burst")
                .setEvent("on_success")
                .setChannel(channel)
                .setTarget(channel == Channel.SLACK ? "#burst" : slowWebhook.url("/burst"))
                .setSubject("[stagecoach] burst run " + runId + " succeeded")
                .setBody("")
                .setRunStatus("SUCCEEDED")
                .setCreatedAt(Instant.now())
                .build();
    }

    private static List<String> idsOf(List<Notification> notifications, Channel channel) {
        return notifications.stream().filter(n -> n.getChannel() == channel).map(Notification::getDedupeId).toList();
    }

    private static List<WebhookSink.Delivery> webhookDeliveries(String burst) {
        return slowWebhook.deliveries().stream().filter(d -> d.body().path("dedupeId").asText().startsWith(burst + ":")).toList();
    }

    /** The Idempotency-Key of every copy the webhook received, copies included. */
    private static List<String> webhookCopies(String burst) {
        return webhookDeliveries(burst).stream().map(WebhookSink.Delivery::idempotencyKey).toList();
    }

    /** The dedupe id in the metadata of every message posted to Slack, copies included. */
    private static List<String> slackCopies(String burst) {
        return slackMessages().stream().map(m -> m.path("metadata").path("event_payload").path("dedupe_id").asText())
                .filter(id -> id.startsWith(burst + ":")).toList();
    }

    private static boolean flaggedAsPossibleDuplicate(WebhookSink.Delivery delivery) {
        return "true".equals(delivery.headers().getFirst("Stagecoach-Possible-Duplicate"));
    }

    /** Log lines with {@code phrase} about a notification of {@code burst}. */
    private static long occurrences(String log, String phrase, String burst) {
        return log.lines().filter(line -> line.contains(phrase) && line.contains("dedupeId=" + burst + ":")).count();
    }

    private static List<JsonNode> slackMessages() {
        return slack.history().stream().map(FakeSlack.Posted::body).toList();
    }

    private static List<JsonNode> pagerDutyEvents() {
        return pagerDuty.accepted().stream().map(FakePagerDuty.Event::body).toList();
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    /** How many records after {@code before} the notifier's consumer group has committed. */
    private static long committedSince(Map<TopicPartition, Long> before) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("stagecoach-notifier")
                    .partitionsToOffsetAndMetadata().get();
            return before.entrySet().stream().mapToLong(e -> {
                OffsetAndMetadata offset = committed.get(e.getKey());
                return offset == null ? 0 : Math.max(0, offset.offset() - e.getValue());
            }).sum();
        }
    }
}
