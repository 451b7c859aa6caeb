package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.KafkaBrokerResource;
import dev.stagecoach.testkit.receivers.MailParts;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The notifier service as deployed, from the notifications topic of a real broker to real
 * receivers: an SMTP server in this JVM, and HTTP servers that check requests as Slack and
 * PagerDuty do. Proves the configuration keys and the wiring; the channels' answers and retries
 * are covered by the channel tests.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(
        name = KafkaBrokerResource.TOPICS, value = "stagecoach.notifications,stagecoach.dead-letters"))
@WithTestResource(ChannelReceiversResource.class)
class ChannelDeliveryTest {

    private static final Topic<Notification> NOTIFICATIONS = new Topics(Topics.DEFAULT_PREFIX).notifications();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    KafkaDeliveredLedger ledger;

    private KafkaProducer<String, Notification> producer;

    @BeforeEach
    void connect() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), NOTIFICATIONS.keySerde().serializer(), NOTIFICATIONS.valueSerde().serializer());
    }

    @AfterEach
    void disconnect() {
        producer.close();
    }

    @Test
    void aFailureEmailHasTheSubjectTheRecipientBothBodiesTheExitCodeTheOutputAndAStableMessageId() throws Exception {
        Notification failure = SampleNotifications.failure(Channel.EMAIL, "oncall@example.com");

        send(failure);

        MimeMessage mail = awaitMail(failure.getSubject());
        assertThat(mail.getSubject()).isEqualTo(failure.getSubject());
        assertThat(Arrays.stream(mail.getAllRecipients()).map(Address::toString)).containsExactly("oncall@example.com");
        assertThat(Arrays.stream(mail.getFrom()).map(Address::toString)).containsExactly(ChannelReceiversResource.FROM);
        assertThat(mail.getMessageID()).isEqualTo(EmailDelivery.messageId(failure.getDedupeId()));
        assertThat(mail.getHeader(EmailDelivery.POSSIBLE_DUPLICATE)).isNull();
        String text = MailParts.text(mail, "text/plain");
        String html = MailParts.text(mail, "text/html");
        assertThat(text).contains("Failed stage: processing (exit code 3)", "ERROR: checksum mismatch in part-0007 <bad>",
                "Started by: ci-bot", "https://stagecoach.example.com/api/runs/" + failure.getRunId() + "/report");
        assertThat(html).contains("<code>processing</code> (exit code 3)", "checksum mismatch in part-0007 &lt;bad&gt;",
                "href=\"https://stagecoach.example.com/api/runs/" + failure.getRunId() + "\"");
    }

    @Test
    void anEmailAnotherNotifierBeganAndNeverEndedIsSentFlaggedAsAPossibleDuplicate() throws Exception {
        Notification failure = SampleNotifications.failure(Channel.EMAIL, "oncall@example.com");
        // What a notifier killed under way leaves on the delivered topic; this one reads it as another instance's.
        ledger.begin(failure).toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(DEADLINE).until(() -> ledger.unfinishedSince(failure.getDedupeId()).isPresent());

        send(failure);

        MimeMessage mail = awaitMail(failure.getSubject());
        assertThat(mail.getHeader(EmailDelivery.POSSIBLE_DUPLICATE)).containsExactly("true");
        assertThat(mail.getMessageID()).isEqualTo(EmailDelivery.messageId(failure.getDedupeId()));
        await().atMost(DEADLINE).until(() -> ledger.contains(failure.getDedupeId()));
        assertThat(ledger.unfinishedSince(failure.getDedupeId())).isEmpty();
    }

    @Test
    void slackAndPagerDutyTargetsReachTheirApisWithTheConfiguredTokenAndKey() {
        Notification slack = SampleNotifications.start(Channel.SLACK, "#deployments");
        Notification page = SampleNotifications.failure(Channel.PAGERDUTY, "critical");

        send(slack);
        send(page);

        await().atMost(DEADLINE).until(() -> ChannelReceiversResource.slack.accepted().stream()
                .anyMatch(r -> r.body().path("text").asText().equals(slack.getSubject())));
        await().atMost(DEADLINE).until(() -> ChannelReceiversResource.pagerDuty.accepted().stream()
                .anyMatch(e -> e.body().path("payload").path("summary").asText().contains(page.getRunId())));
        assertThat(ChannelReceiversResource.pagerDuty.openIncidents()).containsKey("stagecoach/data-release");
    }

    @Test
    void slacksRefusalEndsOnTheDeadLetterTopicWithSlacksReason() {
        Notification unknown = SampleNotifications.start(Channel.SLACK, "#no-such-channel");

        send(unknown);

        ConsumerRecord<String, byte[]> deadLetter = await().atMost(DEADLINE).until(() -> deadLetter(unknown.getRunId()), r -> r != null);
        assertThat(new String(deadLetter.headers().lastHeader("stagecoach.dlq.reason").value(), StandardCharsets.UTF_8))
                .isEqualTo("slack #no-such-channel answered error channel_not_found: check the channel name, and that the bot can see it");
    }

    /** The dead letter keyed by this run, if it is on the topic yet. */
    private ConsumerRecord<String, byte[]> deadLetter(String runId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers), new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = new Topics(Topics.DEFAULT_PREFIX).deadLetters().name();
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            ConsumerRecord<String, byte[]> found = null;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (runId.equals(record.key())) {
                        found = record;
                    }
                }
            }
            return found;
        }
    }

    private void send(Notification notification) {
        producer.send(new ProducerRecord<>(NOTIFICATIONS.name(), notification.getRunId(), notification));
        producer.flush();
    }

    private static MimeMessage awaitMail(String subject) {
        return await().atMost(DEADLINE).until(() -> Arrays.stream(ChannelReceiversResource.smtp.getReceivedMessages())
                .filter(m -> subjectOf(m).equals(subject)).findFirst().orElse(null), m -> m != null);
    }

    private static String subjectOf(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (jakarta.mail.MessagingException e) {
            return "";
        }
    }
}
