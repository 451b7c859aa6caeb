package dev.stagecoach.testkit;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka in a container, for machines with a Docker engine. Only this class names
 * Testcontainers, so the rest of the testkit loads without it on the classpath.
 */
final class TestcontainersKafka {

    private TestcontainersKafka() {
    }

    /** Starts a container that lives until the JVM exits; returns its bootstrap address. */
    static String start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException(KafkaMode.PROPERTY + "=testcontainers, but no Docker engine answers"
                    + " on this machine; unset it to use the embedded broker");
        }
        // The image's Kafka is the clients' one, which the Quarkus BOM chooses.
        KafkaContainer container = new KafkaContainer("apache/kafka:" + AppInfoParser.getVersion());
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stagecoach-kafka-container-stop"));
        return container.getBootstrapServers();
    }
}
