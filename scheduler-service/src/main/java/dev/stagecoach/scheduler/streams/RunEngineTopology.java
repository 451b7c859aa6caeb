package dev.stagecoach.scheduler.streams;

import dev.stagecoach.events.Control;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.events.Topics;
import dev.stagecoach.events.serde.AvroSerde;
import dev.stagecoach.events.serde.Serdes.NotificationSerde;
import dev.stagecoach.events.serde.Serdes.RunEventSerde;
import dev.stagecoach.events.serde.Serdes.RunRequestedSerde;
import dev.stagecoach.events.serde.Serdes.RunSnapshotSerde;
import dev.stagecoach.events.serde.Serdes.StageCommandSerde;
import dev.stagecoach.scheduler.DeploymentSecrets;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.engine.SecretSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

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
    public Topology buildTopology(StagecoachConfig config, DeploymentSecrets secrets) {
        return build(config.topics(), config.timerResolution(), config.snapshotInterval(), secrets);
    }

    public static Topology build(Topics topics, Duration timerResolution, Duration snapshotInterval) {
        return build(topics, timerResolution, snapshotInterval, SecretSource.NONE);
    }

    public static Topology build(Topics topics, Duration timerResolution, Duration snapshotInterval, SecretSource secrets) {
        StringDeserializer keys = new StringDeserializer();
        StringSerializer keyWriter = new StringSerializer();
        Topology topology = new Topology();
        PipelineChanges pipelineChanges = new PipelineChanges();

        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PIPELINES_STORE),
                        org.apache.kafka.common.serialization.Serdes.String(), AvroSerde.of(PipelineRegistered.class))
                        .withLoggingDisabled(),
                "pipelines-in", keys, AvroSerde.of(PipelineRegistered.class), topics.pipelines(),
                "pipelines-updater", () -> new PipelineStoreUpdater(pipelineChanges));

        topology.addSource("run-requests-in", keys, AvroSerde.of(RunRequested.class), topics.runRequests());
        topology.addSource("results-in", keys, AvroSerde.of(StageResult.class), topics.results());
        topology.addSource("control-in", keys, AvroSerde.of(Control.class), topics.control());

        topology.addProcessor(ENGINE, () -> new RunEngineProcessor(timerResolution, snapshotInterval, secrets),
                "run-requests-in", "results-in", "control-in");
        // Cached: a run that changes several times within one commit interval (a wide fan-out does)
        // writes its state to RocksDB and the changelog once, not once per change.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUNS_STORE),
                org.apache.kafka.common.serialization.Serdes.String(), new RunStateSerde()).withCachingEnabled(), ENGINE);
        // Cached too: a stage's deadline is usually scheduled and cancelled within one commit, and
        // then neither reaches RocksDB nor the changelog.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMERS_STORE),
                org.apache.kafka.common.serialization.Serdes.String(), org.apache.kafka.common.serialization.Serdes.String())
                .withCachingEnabled(), ENGINE);

        topology.addSink(COMMANDS_SINK, (key, value, context) -> topics.commands(((StageCommand) value).getPool()),
                keyWriter, anyValue(new StageCommandSerde()), ENGINE);
        topology.addSink(RUN_EVENTS_SINK, topics.runEvents(), keyWriter, anyValue(new RunEventSerde()), ENGINE);
        topology.addSink(RUNS_SINK, topics.runs(), keyWriter, anyValue(new RunSnapshotSerde()), ENGINE);
        topology.addSink(NOTIFICATIONS_SINK, topics.notifications(), keyWriter, anyValue(new NotificationSerde()), ENGINE);

        // Conditional triggers: metric samples in, run requests (back to the engine's own source) and dead letters out.
        topology.addSource("metrics-in", keys, new ByteArrayDeserializer(), topics.metrics());
        topology.addProcessor(CONDITIONAL_TRIGGERS, () -> new ConditionalTriggerProcessor(topics.metrics(), pipelineChanges), "metrics-in");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WATCHES_STORE),
                org.apache.kafka.common.serialization.Serdes.String(), org.apache.kafka.common.serialization.Serdes.String()),
                CONDITIONAL_TRIGGERS);
        topology.addSink(RUN_REQUESTS_SINK, topics.runRequests(), keyWriter, anyValue(new RunRequestedSerde()), CONDITIONAL_TRIGGERS);
        topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters(), keyWriter, anyValue(org.apache.kafka.common.serialization.Serdes.ByteArray()),
                CONDITIONAL_TRIGGERS);
        return topology;
    }

    /** The engine forwards values of several types; each sink receives only its own. */
    @SuppressWarnings("unchecked")
    private static Serializer<Object> anyValue(Serde<?> serde) {
        return (Serializer<Object>) serde.serializer();
    }

    /** Keeps the global store of registered pipelines in step with the compacted topic. */
    static final class PipelineStoreUpdater implements Processor<String, PipelineRegistered, Void, Void> {

        private final PipelineChanges changes;
        private KeyValueStore<String, PipelineRegistered> store;

        PipelineStoreUpdater(PipelineChanges changes) {
            this.changes = changes;
        }

        @Override
        public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
            store = context.getStateStore(PIPELINES_STORE);
        }

        @Override
        public void process(Record<String, PipelineRegistered> record) {
            changes.during(() -> {
                if (record.value() == null) {
                    store.delete(record.key());
                } else {
                    store.put(record.key(), record.value());
                }
            });
        }
    }
}
