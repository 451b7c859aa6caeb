package dev.stagecoach.scheduler.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;
import dev.stagecoach.testkit.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real broker: each test uses a prefix of its own, so topics of other tests never meet it. */
class CommandTopicsTest {

    private static final String PIPELINE = """
            pipeline:
              name: pools
              stages:
                - {name: build, run: echo build}
                - {name: train, pool: gpu, run: echo train, rollback: echo untrain}
              finally:
                - {name: tidy, pool: cleanup, run: echo tidy}
            """;

    private Admin admin;
    private Topics topics;

    @BeforeEach
    void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()));
        topics = new Topics("ct-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    }

    @AfterEach
    void close() {
        admin.close();
    }

    @Test
    void poolsOfAPipelineAreThoseOfItsStagesAndFinallyStages() {
        assertThat(CommandTopics.poolsOf(load(PIPELINE))).containsExactly("cleanup", "default", "gpu");
    }

    @Test
    void everyPoolOfAPipelineGetsItsCommandsTopicWithTheConfiguredLayout() throws Exception {
        CommandTopics commandTopics = new CommandTopics(admin, topics, 3, (short) 1, 1);

        commandTopics.ensureFor(load(PIPELINE));
        commandTopics.ensureFor(load(PIPELINE));

        Map<String, TopicDescription> described = admin.describeTopics(
                List.of(topics.commands("default").name(), topics.commands("gpu").name(), topics.commands("cleanup").name()))
                .allTopicNames().get();
        assertThat(described.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(3));
        ConfigResource gpu = new ConfigResource(ConfigResource.Type.TOPIC, topics.commands("gpu").name());
        assertThat(admin.describeConfigs(List.of(gpu)).all().get().get(gpu).get("min.insync.replicas").value()).isEqualTo("1");
    }

    @Test
    void topicThatCannotBeCreatedIsNamedWithTheBrokersReason() {
        // One broker cannot hold three replicas.
        CommandTopics commandTopics = new CommandTopics(admin, topics, 1, (short) 3, 2);

        assertThatThrownBy(() -> commandTopics.ensure(List.of("gpu")))
                .isInstanceOf(CommandTopicException.class)
                .hasMessageStartingWith("cannot create topic " + topics.commands("gpu").name() + ": ")
                .hasMessageContaining("The target replication factor of 3 cannot be reached because only 1 broker(s) are registered")
                .satisfies(e -> assertThat(((CommandTopicException) e).invalidName()).isFalse());
    }

    @Test
    void poolWhoseNameIsNoTopicNameIsTheRequestsFault() {
        CommandTopics commandTopics = new CommandTopics(admin, topics, 1, (short) 1, 1);

        assertThatThrownBy(() -> commandTopics.ensure(List.of("big gpu")))
                .isInstanceOf(CommandTopicException.class)
                .hasMessageStartingWith("cannot create topic " + topics.commands("big gpu").name() + ": ")
                .satisfies(e -> assertThat(((CommandTopicException) e).invalidName()).isTrue());
    }

    @Test
    void poolsOfAlreadyRegisteredPipelinesAreReadFromThePipelinesTopic() {
        Topic<PipelineRegistered> pipelines = topics.pipelines();
        SharedKafka.createTopics(1, pipelines.name());
        try (KafkaProducer<String, PipelineRegistered> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()), pipelines.keySerde().serializer(),
                pipelines.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(pipelines.name(), "pools", PipelineRegistered.newBuilder()
                    .setName("pools").setRevision(1).setYaml(PIPELINE).setSha256("x").setRegisteredAt(Instant.EPOCH).build()));
            producer.send(new ProducerRecord<>(pipelines.name(), "gone", null));
        }

        assertThat(RegisteredPools.read(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()), pipelines, Duration.ofSeconds(30), new PipelineRevisions()))
                .containsExactly("cleanup", "default", "gpu");
        Topic<PipelineRegistered> missing = new Topics("ct-none-" + UUID.randomUUID() + ".").pipelines();
        assertThat(RegisteredPools.read(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()), missing, Duration.ofSeconds(5), new PipelineRevisions())).isEmpty();
    }

    private static PipelineDefinition load(String yaml) {
        return PipelineLoader.load(yaml, "pools.yaml").orThrow();
    }
}
