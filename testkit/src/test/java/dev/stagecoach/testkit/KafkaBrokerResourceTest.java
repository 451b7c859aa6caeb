package dev.stagecoach.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

class KafkaBrokerResourceTest {

    @Test
    void startsOneSharedBrokerWithTheRequestedTopics() throws Exception {
        KafkaBrokerResource first = new KafkaBrokerResource();
        first.init(Map.of(KafkaBrokerResource.TOPICS, "commands:3, events"));
        Map<String, String> config = first.start();

        String bootstrapServers = config.get("kafka.bootstrap.servers");
        assertEquals(bootstrapServers, config.get("quarkus.kafka-streams.bootstrap-servers"));
        assertEquals(bootstrapServers, config.get("mp.messaging.connector.smallrye-kafka.bootstrap.servers"));
        assertEquals("false", config.get("quarkus.kafka.devservices.enabled"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(Set.of("commands", "events")).allTopicNames().get();
            assertEquals(3, topics.get("commands").partitions().size());
            assertEquals(1, topics.get("events").partitions().size());
        }

        KafkaBrokerResource second = new KafkaBrokerResource();
        second.init(Map.of(KafkaBrokerResource.TOPICS, "events"));
        assertEquals(bootstrapServers, second.start().get("kafka.bootstrap.servers"), "one broker per JVM");
        first.stop();
        second.stop();
    }

    @Test
    void parsesTopicSpecs() {
        assertEquals(List.of(new NewTopic("a", 1, (short) 1), new NewTopic("b", 4, (short) 1)),
                Topics.parse(" a , b:4 ,"));
        assertTrue(Topics.parse(null).isEmpty());
    }

    @Test
    void rejectsAnUnknownKafkaMode() {
        assertEquals(KafkaMode.EMBEDDED, KafkaMode.parse(null));
        assertEquals(KafkaMode.TESTCONTAINERS, KafkaMode.parse("Testcontainers"));
        assertEquals(KafkaMode.SASL_SSL, KafkaMode.parse("sasl_ssl"));
        assertThrows(IllegalArgumentException.class, () -> KafkaMode.parse("docker"));
    }

    @Test
    void testcontainersSwitchFailsClearlyWithoutDocker() {
        assumeFalse(DockerClientFactory.instance().isDockerAvailable(), "a Docker engine answers here");
        IllegalStateException e = assertThrows(IllegalStateException.class, TestcontainersKafka::start);
        assertTrue(e.getMessage().contains("no Docker engine"), e.getMessage());
    }
}
