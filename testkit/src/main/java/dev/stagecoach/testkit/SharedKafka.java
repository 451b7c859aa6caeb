package dev.stagecoach.testkit;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The one Kafka of a test JVM, started on first use and stopped when the JVM exits; plain JUnit
 * tests that run next to {@code @QuarkusTest}s share it with them through here.
 */
public final class SharedKafka {

    // A system property rather than a static field alone: Quarkus may load this class in
    // more than one class loader (one per application restart), and the JVM still needs
    // only one broker.
    // Outside the "stagecoach." prefix: services validate every key under it against their config mapping.
    static final String ADDRESS_PROPERTY = "testkit.shared-kafka.bootstrap-servers";

    // Kept here so that the configured loggers are not garbage collected with their levels.
    private static final List<Logger> QUIETED = List.of(
            Logger.getLogger("kafka"), Logger.getLogger("org.apache.kafka"), Logger.getLogger("state.change.logger"));

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        String address = System.getProperty(ADDRESS_PROPERTY);
        if (address == null) {
            address = switch (KafkaMode.current()) {
                case EMBEDDED, SASL_SSL -> startEmbedded();
                case TESTCONTAINERS -> startContainer();
            };
            System.setProperty(ADDRESS_PROPERTY, address);
        }
        return address;
    }

    /**
     * Creates single-replica topics with {@code partitions} partitions each (existing ones are
     * left as they are) and returns once every partition has a leader, so the first produce succeeds.
     */
    public static void createTopics(int partitions, String... names) {
        Topics.create(bootstrapServers(), Stream.of(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList());
    }

    private static String startEmbedded() {
        quietBrokerLogs();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stagecoach-kafka-stop"));
        return broker.bootstrapServers();
    }

    private static String startContainer() {
        try {
            return TestcontainersKafka.start();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException(KafkaMode.PROPERTY + "=testcontainers needs"
                    + " org.testcontainers:testcontainers-kafka on the test classpath", e);
        }
    }

    // Under @QuarkusTest the broker logs through JBoss LogManager, and it starts before the
    // application's log categories apply: without this its INFO start-up log floods the
    // test output. The levels only take effect where JUL backs the SLF4J binding.
    private static void quietBrokerLogs() {
        for (Logger logger : QUIETED) {
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
            }
        }
    }
}
