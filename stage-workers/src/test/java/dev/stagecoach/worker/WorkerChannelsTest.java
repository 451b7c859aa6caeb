package dev.stagecoach.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker writes results, logs and dead letters through SmallRye channels, which only its
 * properties configure: each must name the topic of {@link Topics} and the serdes of its
 * {@link Topic}, or the engine would read another format than the worker writes.
 */
class WorkerChannelsTest {

    private static SmallRyeConfig config;
    private static Topics topics;

    @BeforeAll
    static void readProperties() throws IOException {
        config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(WorkerChannelsTest.class.getResource("/application.properties"))).build();
        topics = new Topics(config.getValue("stagecoach.topic-prefix", String.class));
    }

    @Test
    void everyOutgoingChannelWritesItsTopicWithTheTopicsSerdes() {
        assertWrites("stage-results", topics.results());
        assertWrites("stage-logs", topics.logs());
        assertWrites("dead-letters", topics.deadLetters());
    }

    @Test
    void noChannelIsLeftUnchecked() {
        Set<String> channels = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("mp.messaging.")) {
                channels.add(name.split("\\.")[2] + " " + name.split("\\.")[3]);
            }
        }

        assertThat(channels).containsExactly("outgoing dead-letters", "outgoing stage-logs", "outgoing stage-results");
    }

    private static void assertWrites(String channel, Topic<?> topic) {
        String prefix = "mp.messaging.outgoing." + channel + ".";
        assertThat(config.getValue(prefix + "topic", String.class)).as(channel).isEqualTo(topic.name());
        assertThat(config.getValue(prefix + "key.serializer", String.class)).as(channel + " keys")
                .isEqualTo(topic.keySerde().serializer().getClass().getName());
        assertThat(config.getValue(prefix + "value.serializer", String.class)).as(channel + " values")
                .isEqualTo(topic.valueSerde().serializer().getClass().getName());
    }
}
