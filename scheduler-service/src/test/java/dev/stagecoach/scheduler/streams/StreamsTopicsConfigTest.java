package dev.stagecoach.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.Topics;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The topics Quarkus waits for before it starts the topology are the ones the topology reads, as {@link Topics} names them. */
class StreamsTopicsConfigTest {

    @Test
    void quarkusWaitsForExactlyTheTopicsTheTopologyReads() throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(getClass().getResource("/application.properties"))).build();
        Topics topics = new Topics(config.getValue("stagecoach.topic-prefix", String.class));

        TopologyDescription topology = RunEngineTopology.build(topics, Duration.ofMillis(100), Duration.ZERO).describe();
        Set<String> read = new HashSet<>();
        topology.globalStores().forEach(store -> read.addAll(store.source().topicSet()));
        topology.subtopologies().forEach(sub -> sub.nodes().stream().filter(TopologyDescription.Source.class::isInstance)
                .forEach(source -> read.addAll(((TopologyDescription.Source) source).topicSet())));

        assertThat(config.getValues("quarkus.kafka-streams.topics", String.class)).containsExactlyInAnyOrderElementsOf(read);
        assertThat(read).containsExactlyInAnyOrderElementsOf(List.of(topics.pipelines().name(), topics.runRequests().name(),
                topics.results().name(), topics.control().name(), topics.metrics().name()));
    }
}
