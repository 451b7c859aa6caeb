package dev.stagecoach.scheduler;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the scheduler's service tests share: the topics of the one application they all run against, and its API. */
public final class SchedulerFixture {

    /**
     * Every topic the scheduler reads or writes, and the topic the event trigger test watches. One
     * list for every {@code @QuarkusTest} here, so that they share one application instead of restarting it.
     */
    public static final String TOPICS = "stagecoach.pipelines:1,stagecoach.run-requests:2,stagecoach.results:2,stagecoach.control:2,"
            + "stagecoach.commands.default:2,stagecoach.run-events:2,stagecoach.runs:2,stagecoach.notifications:2,"
            + "stagecoach.metrics:2,stagecoach.dead-letters:1,stagecoach.logs:2,stagecoach.audit:1,trigger-test.deployments:1";

    private SchedulerFixture() {
    }

    public static void awaitEngineReady() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    public static void register(String yaml) {
        given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8)).post("/api/pipelines")
                .then().statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    /** The run requests for {@code pipeline} on the run-requests topic so far, in the order of their partitions. */
    public static List<RunRequested> requestedRuns(String bootstrapServers, String pipeline) {
        Topic<RunRequested> requests = new Topics(Topics.DEFAULT_PREFIX).runRequests();
        return readToEnd(bootstrapServers, requests.name()).stream()
                .map(r -> requests.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .filter(r -> r.getPipeline().equals(pipeline)).toList();
    }

    /** Every committed record of {@code topic} up to its end as of this call, in partition order. */
    public static List<ConsumerRecord<String, byte[]>> readToEnd(String bootstrapServers, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return records;
    }
}
