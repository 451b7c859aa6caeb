package dev.stagecoach.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.stagecoach.events.Topic.CleanupPolicy;
import dev.stagecoach.events.serde.EventSamples;
import dev.stagecoach.events.serde.EventTypes;
import dev.stagecoach.events.serde.Serdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TopicsTest {

    private static final Topics TOPICS = new Topics(Topics.DEFAULT_PREFIX);

    static Stream<Named<Topic<?>>> topics() {
        return Stream.concat(TOPICS.all().stream(), Stream.of(TOPICS.commands("gpu")))
                .map(topic -> Named.of(topic.name(), topic));
    }

    @ParameterizedTest
    @MethodSource("topics")
    <V> void aSampleValueSurvivesTheTopicsSerde(Topic<V> topic) {
        V sample = sample(topic.valueType());
        Serde<V> serde = topic.valueSerde();

        V read = serde.deserializer().deserialize(topic.name(), serde.serializer().serialize(topic.name(), sample));

        assertThat(read).usingRecursiveComparison().isEqualTo(sample);
    }

    @ParameterizedTest
    @MethodSource("topics")
    void keysAreStringsAndEventsUseTheSerdeClassThatConfigurationNames(Topic<?> topic) {
        assertThat(topic.keySerde().serializer()).isInstanceOf(StringSerializer.class);
        if (SpecificRecord.class.isAssignableFrom(topic.valueType())) {
            assertThat(topic.valueSerde().serializer().getClass().getName())
                    .isEqualTo(Serdes.class.getName() + "$" + topic.valueType().getSimpleName() + "Serde");
        }
    }

    @Test
    void everyEventTypeTravelsOnSomeTopic() {
        List<Class<?>> carried = TOPICS.all().stream().<Class<?>>map(Topic::valueType).toList();

        assertThat(carried).containsAll(EventTypes.ALL).contains(byte[].class);
    }

    @Test
    void theInstallationsTopicsKeepTheirNamesAndLayout() {
        assertThat(TOPICS.all()).extracting(t -> t.name() + ":" + t.partitions() + ":" + t.cleanupPolicy().configValue())
                .containsExactly("stagecoach.pipelines:1:compact", "stagecoach.run-requests:4:delete",
                        "stagecoach.commands.default:8:delete", "stagecoach.results:4:delete", "stagecoach.control:4:delete",
                        "stagecoach.run-events:4:delete", "stagecoach.runs:4:compact", "stagecoach.notifications:4:delete",
                        "stagecoach.notifications.delivered:4:compact",
                        "stagecoach.logs:4:delete", "stagecoach.metrics:4:delete", "stagecoach.audit:4:delete",
                        "stagecoach.dead-letters:4:delete");
    }

    @Test
    void everyNameTakesThePrefix() {
        Topics acme = new Topics("acme.");

        assertThat(acme.all()).extracting(Topic::name).allMatch(name -> name.startsWith("acme."))
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(TOPICS.all().stream().map(t -> "acme." + t.name().substring("stagecoach.".length())).toList());
        assertThat(acme.commands("gpu").name()).isEqualTo("acme.commands.gpu");
    }

    @Test
    void aTopicIsCreatedWithItsCleanupPolicyAndTheDeploymentsInSyncReplicas() {
        assertThat(TOPICS.runs().configs(2)).containsOnly(
                entry("cleanup.policy", "compact"),
                entry("min.insync.replicas", "2"));
        assertThat(TOPICS.commands("gpu").withPartitions(3)).isEqualTo(
                new Topic<>("stagecoach.commands.gpu", StageCommand.class, 3, CleanupPolicy.DELETE));
    }

    @Test
    void theAuditTopicKeepsItsEntriesForAYearAndOtherTopicsForTheBrokersDefault() {
        assertThat(TOPICS.audit().configs(2)).containsOnly(
                entry("cleanup.policy", "delete"),
                entry("min.insync.replicas", "2"),
                entry("retention.ms", String.valueOf(Duration.ofDays(365).toMillis())));
        assertThat(TOPICS.audit().withRetention(Duration.ofDays(30)).withPartitions(2).configs(1))
                .containsEntry("retention.ms", "2592000000");
        assertThat(TOPICS.all()).filteredOn(topic -> topic.retention() != null).extracting(Topic::name)
                .containsExactly("stagecoach.audit");
        assertThatThrownBy(() -> TOPICS.audit().withRetention(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topic stagecoach.audit: the retention must be positive, not PT0S");
    }

    @Test
    void aTopicOfValuesWithoutASerdeIsRefusedWhereItIsDeclared() {
        assertThatThrownBy(() -> new Topic<>("stagecoach.words", String.class, 1, CleanupPolicy.DELETE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topic stagecoach.words: no serde for values of type java.lang.String");
    }

    @SuppressWarnings("unchecked")
    private static <V> V sample(Class<V> type) {
        if (type == byte[].class) {
            return (V) "the original bytes".getBytes(StandardCharsets.UTF_8);
        }
        return (V) EventSamples.populated(type.asSubclass(SpecificRecord.class));
    }
}
