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
import dev.stagecoach.events.serde.Serdes.RunSnapshotSerde;
import dev.stagecoach.events.serde.Serdes.StageCommandSerde;
import dev.stagecoach.scheduler.StagecoachConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
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
 * keyed by run id; commands, run events, snapshots and notifications come out.
 */
@ApplicationScoped
public class RunEngineTopology {

    public static final String RUNS_STORE = "runs";
    public static final String TIMERS_STORE = "timers";
    public static final String PIPELINES_STORE = "pipelines";

    static final String COMMANDS_SINK = "commands-out";
    static final String RUN_EVENTS_SINK = "run-events-out";
    static final String RUNS_SINK = "runs-out";
    static final String NOTIFICATIONS_SINK = "notifications-out";
    private static final String ENGINE = "engine";

    @Produces
    public Topology buildTopology(StagecoachConfig config) {
        return build(config.topics(), config.timerResolution(), config.snapshotInterval());
    }

    public static Topology build(Topics topics, Duration timerResolution, Duration snapshotInterval) {
        StringDeserializer keys = new StringDeserializer();
        StringSerializer keyWriter = new StringSerializer();
        Topology topology = new Topology();

        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PIPELINES_STORE),
                        org.apache.kafka.common.serialization.Serdes.String(), AvroSerde.of(PipelineRegistered.class))
                        .withLoggingDisabled(),
                "pipelines-in", keys, AvroSerde.of(PipelineRegistered.class), topics.pipelines(),
                "pipelines-updater", PipelineStoreUpdater::new);

        topology.addSource("run-requests-in", keys, AvroSerde.of(RunRequested.class), topics.runRequests());
        topology.addSource("results-in", keys, AvroSerde.of(StageResult.class), topics.results());
        topology.addSource("control-in", keys, AvroSerde.of(Control.class), topics.control());

        topology.addProcessor(ENGINE, () -> new RunEngineProcessor(timerResolution, snapshotInterval),
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
        return topology;
    }

    /** The engine forwards values of several types; each sink receives only its own. */
    @SuppressWarnings("unchecked")
    private static Serializer<Object> anyValue(Serde<?> serde) {
        return (Serializer<Object>) serde.serializer();
    }

    /** Keeps the global store of registered pipelines in step with the compacted topic. */
    static final class PipelineStoreUpdater implements Processor<String, PipelineRegistered, Void, Void> {

        private KeyValueStore<String, PipelineRegistered> store;

        @Override
        public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
            store = context.getStateStore(PIPELINES_STORE);
        }

        @Override
        public void process(Record<String, PipelineRegistered> record) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
