package dev.stagecoach.scheduler.streams;

import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topics;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.scheduler.engine.Decision;
import dev.stagecoach.scheduler.engine.Effect;
import dev.stagecoach.scheduler.engine.EngineEvent;
import dev.stagecoach.scheduler.engine.RunEngine;
import dev.stagecoach.scheduler.engine.RunState;
import java.nio.charset.StandardCharsets;
import dev.stagecoach.scheduler.engine.SecretSource;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Loads a run's state, asks the engine what to do, stores the answer and turns its effects
 * into records and timers. Nothing else: every rule lives in {@link RunEngine}.
 */
final class RunEngineProcessor implements Processor<String, Object, String, Object> {

    private static final Logger LOG = Logger.getLogger(RunEngineProcessor.class);

    private final RunEngine engine;
    private final Definitions definitions = new Definitions();
    private final Duration timerResolution;
    private final Duration snapshotInterval;
    private final PendingSnapshots snapshots;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, RunState> runs;
    private KeyValueStore<String, PipelineRegistered> pipelines;
    private TimerStore timers;
    private RecentRuns recent;

    /**
     * @param snapshotInterval how long a run's snapshot may wait for later changes; zero publishes every change
     * @param secrets where {@code secrets.<NAME>} in a stage's env comes from
     */
    RunEngineProcessor(Duration timerResolution, Duration snapshotInterval, SecretSource secrets) {
        this.timerResolution = timerResolution;
        this.snapshotInterval = snapshotInterval;
        this.snapshots = new PendingSnapshots(!snapshotInterval.isZero());
        this.engine = new RunEngine(secrets);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.runs = context.getStateStore(RunEngineTopology.RUNS_STORE);
        this.pipelines = context.getStateStore(RunEngineTopology.PIPELINES_STORE);
        this.timers = new TimerStore(context.getStateStore(RunEngineTopology.TIMERS_STORE));
        this.recent = new RecentRuns();
        context.schedule(timerResolution, PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
        if (!snapshotInterval.isZero()) {
            context.schedule(snapshotInterval, PunctuationType.WALL_CLOCK_TIME, this::publishSnapshots);
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        EngineEvent event = EngineInputs.toEvent(record.value(), pipelines::get);
        if (event == null || record.key() == null) {
            LOG.debugf("Ignored a record without a run to act on: %s", record.value());
            return;
        }
        handle(record.key(), event);
    }

    @Override
    public void close() {
        recent = null; // a task that closes may come back with its store restored from the changelog
    }

    private void fireDueTimers(long wallClockMillis) {
        for (TimerStore.DueTimer timer : timers.due(Instant.ofEpochMilli(wallClockMillis))) {
            timers.remove(timer);
            handle(timer.runId(), new EngineEvent.TimerFired(timer.timerId()));
        }
    }

    private void publishSnapshots(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        for (PendingSnapshots.Due due : snapshots.drain()) {
            publishSnapshot(due, now);
        }
    }

    private void publishSnapshot(PendingSnapshots.Due due, Instant now) {
        forward(due.run().runId(), EffectRecords.snapshot(due.run(), due.definition()), RunEngineTopology.RUNS_SINK, now);
    }

    private void handle(String runId, EngineEvent event) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        RunState state = recent.get(runId);
        if (state == null) {
            state = runs.get(runId);
        }
        PipelineDefinition definition = definitionFor(state, event);
        Decision decision = engine.decide(state, event, now, definition);
        if (!decision.changed()) {
            LOG.debugf("run=%s ignored %s: %s", runId, event.getClass().getSimpleName(), decision.ignoredBecause());
            return;
        }
        RunState next = decision.state();
        runs.put(runId, next);
        recent.put(runId, next);
        for (Effect effect : decision.effects()) {
            apply(next, effect, now);
        }
        PendingSnapshots.Due due = snapshots.changed(next, definition);
        if (due != null) {
            publishSnapshot(due, now);
        }
    }

    private PipelineDefinition definitionFor(RunState state, EngineEvent event) {
        if (event instanceof EngineEvent.RunCreated created) {
            try {
                return definitions.of(created.pipeline(), created.revision(), created.pipelineYaml());
            } catch (RuntimeException e) {
                LOG.errorf("Registered pipeline %s revision %d no longer loads: %s", created.pipeline(), created.revision(), e.getMessage());
                return null;
            }
        }
        return state == null ? null : definitions.of(state.pipeline(), state.pipelineRevision(), state.pipelineYaml());
    }

    private void apply(RunState run, Effect effect, Instant now) {
        if (effect instanceof Effect.DispatchStage dispatch) {
            forwardCommand(EffectRecords.commandKey(run.runId(), dispatch.stage()), EffectRecords.execute(run, dispatch, now), now);
        } else if (effect instanceof Effect.CancelStage cancel) {
            forwardCommand(EffectRecords.commandKey(run.runId(), cancel.stage()), EffectRecords.cancel(run, cancel, now), now);
        } else if (effect instanceof Effect.ScheduleTimer timer) {
            timers.schedule(run.runId(), timer.timerId(), timer.dueAt());
        } else if (effect instanceof Effect.CancelTimer timer) {
            timers.cancel(run.runId(), timer.timerId(), timer.dueAt());
        } else if (effect instanceof Effect.EmitRunEvent event) {
            forward(run.runId(), EffectRecords.runEvent(run, event, now), RunEngineTopology.RUN_EVENTS_SINK, now);
        } else if (effect instanceof Effect.Notify notify) {
            forward(run.runId(), EffectRecords.notification(run, notify, now), RunEngineTopology.NOTIFICATIONS_SINK, now);
        } else if (effect instanceof Effect.FinishRun finish) {
            LOG.infof("run=%s pipeline=%s finished %s: %s", run.runId(), run.pipeline(), finish.status(), run.reason());
        }
    }

    private void forwardCommand(String key, StageCommand command, Instant now) {
        Headers headers = new RecordHeaders().add(Topics.COMMAND_ACTION_HEADER,
                command.getAction().name().getBytes(StandardCharsets.US_ASCII));
        context.forward(new Record<String, Object>(key, command, now.toEpochMilli(), headers), RunEngineTopology.COMMANDS_SINK);
    }

    private void forward(String key, Object value, String sink, Instant now) {
        context.forward(new Record<>(key, value, now.toEpochMilli()), sink);
    }
}
