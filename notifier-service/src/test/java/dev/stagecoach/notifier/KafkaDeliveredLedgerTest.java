package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import dev.stagecoach.events.NotificationDelivered;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The ledger against a real broker: what one notifier process recorded, the next one knows. */
class KafkaDeliveredLedgerTest {

    private final String bootstrap = SharedKafka.bootstrapServers();
    private final Topic<NotificationDelivered> topic = new Topics("ledger-" + UUID.randomUUID() + ".").notificationsDelivered();

    @Test
    void whatOneProcessRecordedIsReadBackByTheNextBeforeItMayDeliver() throws Exception {
        List<Notification> delivered = new ArrayList<>();
        try (KafkaDeliveredLedger first = ledger()) {
            first.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                Notification notification = SampleNotifications.start(Channel.WEBHOOK, "http://127.0.0.1:9/hook");
                first.record(notification).toCompletableFuture().get(10, TimeUnit.SECONDS);
                delivered.add(notification);
            }
        }

        try (KafkaDeliveredLedger next = ledger()) {
            next.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertThat(delivered).allSatisfy(n -> assertThat(next.contains(n.getDedupeId())).as(n.getDedupeId()).isTrue());
            assertThat(next.contains("run-never:on_start:0")).isFalse();
            assertThat(next.size()).isEqualTo(20);
        }
    }

    @Test
    void theNextProcessKnowsWhichDeliveriesWereUnderWayWhenTheFirstStopped() throws Exception {
        Notification underWay = SampleNotifications.start(Channel.SLACK, "#deployments");
        Notification delivered = SampleNotifications.failure(Channel.EMAIL, "oncall@example.com");
        Notification givenUp = SampleNotifications.success(Channel.WEBHOOK, "http://127.0.0.1:9/hook", List.of());
        Instant before = Instant.now();
        try (KafkaDeliveredLedger first = ledger()) {
            first.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (Notification notification : List.of(underWay, delivered, givenUp)) {
                first.begin(notification).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            first.record(delivered).toCompletableFuture().get(10, TimeUnit.SECONDS);
            first.forget(givenUp).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        try (KafkaDeliveredLedger next = ledger()) {
            next.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertThat(next.unfinishedSince(underWay.getDedupeId())).hasValueSatisfying(
                    at -> assertThat(at).isBetween(before.truncatedTo(ChronoUnit.MILLIS), Instant.now()));
            assertThat(next.contains(underWay.getDedupeId())).isFalse();
            assertThat(next.unfinishedSince(delivered.getDedupeId())).isEmpty();
            assertThat(next.contains(delivered.getDedupeId())).isTrue();
            assertThat(next.unfinishedSince(givenUp.getDedupeId())).isEmpty();
            assertThat(next.contains(givenUp.getDedupeId())).isFalse();
            assertThat(next.unfinished()).isEqualTo(1);
        }
    }

    @Test
    void whatIsNoNotificationDeliveredOnTheTopicIsSkippedAndReadingGoesOn() throws Exception {
        Notification delivered = SampleNotifications.failure(Channel.EMAIL, "oncall@example.com");
        try (KafkaDeliveredLedger first = ledger()) {
            first.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic.name(), 0, "garbage", "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(topic.name(), 0, null, new byte[] {1, 2, 3}));
                producer.flush();
            }
            first.record(delivered).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        try (KafkaDeliveredLedger next = ledger()) {
            next.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertThat(next.contains(delivered.getDedupeId())).isTrue();
            assertThat(next.contains("garbage")).isFalse();
            assertThat(next.unfinishedSince("garbage")).isEmpty();
        }
    }

    @Test
    void aDeliveryByAnotherInstanceIsLearnedWhileRunningAndTheTopicIsCompacted() throws Exception {
        try (KafkaDeliveredLedger one = ledger(); KafkaDeliveredLedger other = ledger()) {
            one.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
            other.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Notification notification = SampleNotifications.failure(Channel.EMAIL, "oncall@example.com");

            one.record(notification).toCompletableFuture().get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> other.contains(notification.getDedupeId()));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
            ConfigEntry policy = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy");
            assertThat(policy.value()).isEqualTo("compact");
        }
    }

    private KafkaDeliveredLedger ledger() {
        return new KafkaDeliveredLedger(Map.of("bootstrap.servers", bootstrap), topic, 1000, Clock.systemUTC()).start();
    }
}
