package dev.stagecoach.scheduler.api;

import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.streams.RunEngineTopology;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads the engine's state stores (interactive queries) for the API. */
@ApplicationScoped
public class EngineStores {

    @Inject
    KafkaStreams streams;

    public Optional<RunState> run(String runId) {
        return query(RunEngineTopology.RUNS_STORE, store -> Optional.ofNullable(store.get(runId)).map(RunState.class::cast));
    }

    /**
     * The run as this instance's copy of partition {@code partition} has it: the active task's,
     * or with {@code standby} also a standby replica's, which may lag.
     */
    public Optional<RunState> run(String runId, int partition, boolean standby) {
        var parameters = StoreQueryParameters.fromNameAndType(RunEngineTopology.RUNS_STORE, QueryableStoreTypes.<String, Object>keyValueStore())
                .withPartition(partition);
        return query(standby ? parameters.enableStaleStores() : parameters,
                store -> Optional.ofNullable(store.get(runId)).map(RunState.class::cast));
    }

    public Optional<PipelineRegistered> pipeline(String name) {
        return query(RunEngineTopology.PIPELINES_STORE,
                store -> Optional.ofNullable(store.get(name)).map(PipelineRegistered.class::cast));
    }

    public List<PipelineRegistered> pipelines() {
        return query(RunEngineTopology.PIPELINES_STORE, store -> {
            List<PipelineRegistered> all = new ArrayList<>();
            try (var iterator = store.all()) {
                iterator.forEachRemaining(kv -> all.add((PipelineRegistered) kv.value));
            }
            return all;
        });
    }

    /** Stores answer only while the stream thread runs; during start-up or a rebalance the API says 503. */
    private <T> T query(String name, Function<ReadOnlyKeyValueStore<String, Object>, T> read) {
        return query(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()), read);
    }

    private <T> T query(StoreQueryParameters<ReadOnlyKeyValueStore<String, Object>> parameters,
                        Function<ReadOnlyKeyValueStore<String, Object>, T> read) {
        try {
            return read.apply(streams.store(parameters));
        } catch (InvalidStateStoreException e) {
            throw new EngineNotReadyException("the run engine is starting or rebalancing (" + e.getMessage() + "); try again shortly");
        } catch (IllegalStateException e) {
            throw new EngineNotReadyException("the run engine is not running (" + e.getMessage() + "); see the scheduler's log");
        }
    }
}
