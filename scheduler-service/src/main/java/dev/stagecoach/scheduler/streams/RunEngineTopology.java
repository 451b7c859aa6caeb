package dev.stagecoach.scheduler.streams;

import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.api.EventPublisher;
import dev.stagecoach.scheduler.engine.EngineSettings;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.jboss.logging.Logger;

/**
 * The scheduler's data flow: requests, results and control messages go into the engine,
 * keyed by run id; commands, run events, snapshots and notifications come out. Metric
 * samples go into the conditional triggers, which request runs of the engine.
 */
@ApplicationScoped
public class RunEngineTopology {

    public static final String RUNS_STORE = "runs";
    public static final String TIMERS_STORE = "timers";
    public static final String PIPELINES_STORE = "pipelines";
    public static final String WATCHES_STORE = "metric-watches";

    static final String COMMANDS_SINK = "commands-out";
    static final String RUN_EVENTS_SINK = "run-events-out";
    static final String RUNS_SINK = "runs-out";
    static final String NOTIFICATIONS_SINK = "notifications-out";
    static final String RUN_REQUESTS_SINK = "run-requests-out";
    static final String DEAD_LETTERS_SINK = "dead-letters-out";
    private static final String ENGINE = "engine";
    private static final String CONDITIONAL_TRIGGERS = "conditional-triggers";

    @Produces
    public Topology buildTopology(StagecoachConfig config, CommandTopicCheck commandTopics,
                                  EventPublisher publisher, PipelineRevisions revisions) {
        return build(config.topics(), new EngineTiming(config.timerResolution(), config.snapshotInterval(),
                config.timersHeldAfterStart()),
                new EngineSettings(config.startTimeout(), config.retention()), commandTopics, publisher::send, revisions);
    }

    /** With the default settings and every commands topic taken to exist: for tests. */
    public static Topology build(Topics topics, Duration timerResolution, Duration snapshotInterval) {
        return build(topics, new EngineTiming(timerResolution, snapshotInterval), EngineSettings.DEFAULTS,
                CommandTopicCheck.ANY, deadLetter -> { });
    }

    /** With a cache of pipeline revisions of its own: for tests. */
    public static Topology build(Topics topics, EngineTiming timing, EngineSettings settings,
                                 CommandTopicCheck commandTopics, Consumer<ProducerRecord<String, byte[]>> pipelineDeadLetters) {
        return build(topics, timing, settings, commandTopics, pipelineDeadLetters, new PipelineRevisions());
    }

    /**
     * @param pipelineDeadLetters where the global pipelines store's unreadable records go: the
     *     global thread has no sinks, so they are written outside the engine's transactions
     * @param revisions the parsed pipeline revisions, shared by every task's processors and the rest of the scheduler
     */
    public static Topology build(Topics topics, EngineTiming timing, EngineSettings settings,
                                 CommandTopicCheck commandTopics, Consumer<ProducerRecord<String, byte[]>> pipelineDeadLetters,
                                 PipelineRevisions revisions) {
        Topology topology = new Topology();
        PipelineChanges pipelineChanges = new PipelineChanges();

        Topic<PipelineRegistered> pipelines = topics.pipelines();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PIPELINES_STORE), pipelines.keySerde(), pipelines.valueSerde())
                        .withLoggingDisabled(),
                "pipelines-in", pipelines.keySerde().deserializer(), new ByteArrayDeserializer(), pipelines.name(),
                "pipelines-updater", () -> new PipelineStoreUpdater(pipelineChanges, pipelines, topics.deadLetters().name(), pipelineDeadLetters));

        addRawSource(topology, "run-requests-in", topics.runRequests());
        addRawSource(topology, "results-in", topics.results());
        addRawSource(topology, "control-in", topics.control());

        topology.addProcessor(ENGINE, () -> new RunEngineProcessor(topics, timing, settings, commandTopics, revisions),
                "run-requests-in", "results-in", "control-in");
        // Cached: a run that changes several times within one commit interval (a wide fan-out does)
        // writes its state to RocksDB and the changelog once, not once per change.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUNS_STORE),
                Serdes.String(), new RunStateSerde()).withCachingEnabled(), ENGINE);
        // Cached too: a stage's deadline is usually scheduled and cancelled within one commit, and
        // then neither reaches RocksDB nor the changelog.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMERS_STORE),
                Serdes.String(), Serdes.String()).withCachingEnabled(), ENGINE);

        // Each pool has its own commands topic; they all carry what the default pool's does.
        Topic<StageCommand> commands = topics.commands(StageSpec.DEFAULT_POOL);
        topology.addSink(COMMANDS_SINK, (key, value, context) -> topics.commands(((StageCommand) value).getPool()).name(),
                commands.keySerde().serializer(), values(commands), ENGINE);
        addSink(topology, RUN_EVENTS_SINK, topics.runEvents(), ENGINE);
        addSink(topology, RUNS_SINK, topics.runs(), ENGINE);
        addSink(topology, NOTIFICATIONS_SINK, topics.notifications(), ENGINE);

        // Conditional triggers: metric samples in, run requests (back to the engine's own source) and dead letters out.
        addRawSource(topology, "metrics-in", topics.metrics());
        topology.addProcessor(CONDITIONAL_TRIGGERS, () -> new ConditionalTriggerProcessor(topics.metrics(), pipelineChanges, revisions),
                "metrics-in");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WATCHES_STORE),
                Serdes.String(), Serdes.String()), CONDITIONAL_TRIGGERS);
        addSink(topology, RUN_REQUESTS_SINK, topics.runRequests(), CONDITIONAL_TRIGGERS);
        addSink(topology, DEAD_LETTERS_SINK, topics.deadLetters(), ENGINE, CONDITIONAL_TRIGGERS);
        return topology;
    }

    /**
     * Raw bytes in: the processor reads them itself and dead-letters what it cannot read (a
     * record that fails a source's deserializer would stop the stream thread).
     */
    private static void addRawSource(Topology topology, String name, Topic<?> topic) {
        topology.addSource(name, topic.keySerde().deserializer(), new ByteArrayDeserializer(), topic.name());
    }

    private static void addSink(Topology topology, String name, Topic<?> topic, String... parents) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), values(topic), parents);
    }

    /** The engine forwards values of several types; each sink receives only its topic's. */
    @SuppressWarnings("unchecked")
    private static Serializer<Object> values(Topic<?> topic) {
        return (Serializer<Object>) topic.valueSerde().serializer();
    }

    /**
     * Keeps the global store of registered pipelines in step with the compacted topic. A record
     * that is no PipelineRegistered is dead-lettered and leaves the registration it would replace.
     */
    static final class PipelineStoreUpdater implements Processor<String, byte[], Void, Void> {

        private static final Logger LOG = Logger.getLogger(PipelineStoreUpdater.class);

        private final PipelineChanges changes;
        private final String deadLetterTopic;
        private final Consumer<ProducerRecord<String, byte[]>> deadLetters;
        private final String pipelinesTopic;
        private final Deserializer<PipelineRegistered> registrations;
        private org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context;
        private KeyValueStore<String, PipelineRegistered> store;

        PipelineStoreUpdater(PipelineChanges changes, Topic<PipelineRegistered> pipelines, String deadLetterTopic,
                             Consumer<ProducerRecord<String, byte[]>> deadLetters) {
            this.changes = changes;
            this.pipelinesTopic = pipelines.name();
            this.registrations = pipelines.valueSerde().deserializer();
            this.deadLetterTopic = deadLetterTopic;
            this.deadLetters = deadLetters;
        }

        @Override
        public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
            this.context = context;
            store = context.getStateStore(PIPELINES_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                deadLetter(record, "the record has no key; a registration is keyed by its pipeline's name");
                return;
            }
            PipelineRegistered registered;
            try {
                registered = record.value() == null ? null : registrations.deserialize(pipelinesTopic, record.value());
            } catch (RuntimeException e) {
                deadLetter(record, "record value is not readable as a PipelineRegistered: " + DeadLetters.describe(e));
                return;
            }
            changes.during(() -> {
                if (registered == null) {
                    store.delete(record.key());
                } else {
                    store.put(record.key(), registered);
                }
            });
        }

        private void deadLetter(Record<String, byte[]> record, String reason) {
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            RecordMetadata where = context.recordMetadata().orElseThrow();
            DeadLetters.addTo(headers, reason, where.topic(), where.partition(), where.offset(), "scheduler-pipelines");
            LOG.warnf("dead-lettered a record of %s at %d/%d key=%s: %s", where.topic(), where.partition(), where.offset(),
                    record.key(), reason);
            deadLetters.accept(new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers));
        }
    }
}
