package dev.stagecoach.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaClusterTest {

    private static EmbeddedKafkaCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedKafkaCluster.start(3);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void acknowledgedWritesSurviveTheLossOfTheLeadersBroker() throws Exception {
        String topic = "replicated";
        cluster.createTopics(1, topic);
        try (Admin admin = cluster.admin();
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                     ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer())) {
            assertThat(describe(admin, topic).partitions().get(0).replicas()).hasSize(3);
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "before-" + i)).get();
            }
            int leader = describe(admin, topic).partitions().get(0).leader().id();

            cluster.kill(leader);

            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "after-" + i)).get();
            }
            assertThat(describe(admin, topic).partitions().get(0).leader().id()).isNotEqualTo(leader);
            List<String> expected = new ArrayList<>();
            IntStream.range(0, 50).forEach(i -> expected.add("before-" + i));
            IntStream.range(0, 50).forEach(i -> expected.add("after-" + i));
            assertThat(readAll(topic, 100)).containsExactlyElementsOf(expected);

            cluster.restart(leader);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> describe(admin, topic).partitions().get(0).isr().size() == 3);
            assertThat(cluster.isRunning(leader)).isTrue();
        }
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }

    private static List<String> readAll(String topic, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "cluster-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= count;
            });
        }
        return values;
    }
}
