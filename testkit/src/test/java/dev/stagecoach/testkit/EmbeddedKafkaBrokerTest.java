package dev.stagecoach.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        long started = System.nanoTime();
        broker = EmbeddedKafkaBroker.start();
        System.out.printf("Embedded Kafka broker ready after %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    static void stopBroker() {
        Path dataDir = broker.dataDir();
        broker.close();
        assertFalse(Files.exists(dataDir), "temporary data dir is deleted on close");
    }

    @Test
    void producesWithAcksAllAndConsumesBack() throws Exception {
        broker.createTopics(1, "plain");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of()))) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("plain", "k" + i, "v" + i)).get();
            }
        }

        assertEquals(List.of("v0", "v1", "v2"), consume("plain", 3, "read_uncommitted"));
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsOnly() {
        broker.createTopics(1, "transactional");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "testkit-" + UUID.randomUUID())))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "k", "committed"));
            producer.commitTransaction();
        }

        assertEquals(List.of("committed"), consume("transactional", 1, "read_committed"));
    }

    @Test
    void createTopicsIsIdempotent() throws Exception {
        broker.createTopics(3, "twice");
        broker.createTopics(3, "twice");

        try (Admin admin = broker.admin()) {
            TopicDescription description = admin.describeTopics(Set.of("twice")).allTopicNames().get().get("twice");
            assertEquals(3, description.partitions().size());
        }
    }

    @Test
    void keptDataDirSurvivesARestart(@TempDir Path dataDir) throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(dataDir)) {
            first.createTopics(2, "kept");
        }
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(dataDir); Admin admin = second.admin()) {
            assertTrue(admin.listTopics().names().get().contains("kept"));
        }
        assertTrue(Files.exists(dataDir.resolve("meta.properties")), "a given data dir is kept");
    }

    private static Map<String, Object> producerConfig(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        config.putAll(extra);
        return config;
    }

    private static List<String> consume(String topic, int count, String isolationLevel) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "testkit-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
                return values.size() >= count;
            });
        }
        return values;
    }
}
