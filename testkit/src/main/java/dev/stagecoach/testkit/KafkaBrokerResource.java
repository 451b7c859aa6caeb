package dev.stagecoach.testkit;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Points a {@code @QuarkusTest} at a real Kafka: one broker per JVM, shared by every test
 * class, with the topics of the {@value #TOPICS} init arg created before the application starts.
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = KafkaBrokerResource.class,
 *         initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS, value = "stage-commands:3,stage-events"))
 * }</pre>
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg: comma separated topic names, each optionally {@code name:partitions}. */
    public static final String TOPICS = "topics";

    private List<NewTopic> topics = List.of();

    @Override
    public void init(Map<String, String> initArgs) {
        topics = Topics.parse(initArgs.get(TOPICS));
    }

    @Override
    public Map<String, String> start() {
        String bootstrapServers = SharedKafka.bootstrapServers();
        Topics.create(bootstrapServers, topics);
        return Map.of(
                // A new broker per JVM means any Kafka Streams state on disk belongs to another
                // broker's offsets: start from an empty state directory every time.
                "kafka-streams.state.dir", newStateDir(),
                "kafka.bootstrap.servers", bootstrapServers,
                "quarkus.kafka-streams.bootstrap-servers", bootstrapServers,
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrapServers,
                "quarkus.kafka.devservices.enabled", "false");
    }

    private static String newStateDir() {
        try {
            return java.nio.file.Files.createTempDirectory("stagecoach-streams-state").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a Kafka Streams state directory", e);
        }
    }

    @Override
    public void stop() {
        // The broker outlives each test class on purpose; a shutdown hook stops it with the JVM.
    }
}
