package dev.stagecoach.scheduler.streams;

import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.RunSnapshot;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topics;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.scheduler.engine.Decision;
import dev.stagecoach.scheduler.engine.Effect;
import dev.stagecoach.scheduler.engine.EngineEvent;
import dev.stagecoach.scheduler.engine.EngineSettings;
import dev.stagecoach.scheduler.engine.Refusal;
import dev.stagecoach.scheduler.engine.RunEngine;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;
import java.nio.charset.StandardCharsets;
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
 * into records and timers. Nothing else: every rule lives in {@link RunEngine}. Nothing a
 * record carries may stop the stream thread: a record it cannot read goes to the dead-letter
 * topic, and an event the engine fails on ends with a run event that says why.
 */
final class RunEngineProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = Logger.getLogger(RunEngineProcessor.class);
    private static final String CONSUMER_NAME = "scheduler-run-engine";

    private final Topics topics;
    private final EngineInputReader reader;
    private final CommandTopicCheck commandTopics;
    private final RunEngine engine;
    private final Definitions definitions;
    private final Duration timerResolution;
    private final Duration timersHeldAfterStart;
    /** Wall-clock millis from which timers fire; set at the task's first punctuation, -1 until then. */
    private long timersFireFrom;
    private final Duration snapshotInterval;
    private final PendingSnapshots snapshots;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, RunState> runs;
    private KeyValueStore<String, PipelineRegistered> pipelines;
    private TimerStore timers;
    private RecentRuns recent;

    /**
     * @param snapshotInterval how long a run's snapshot may wait for later changes; zero publishes every change
     * @param revisions the parsed pipeline revisions, shared with the rest of the scheduler
     */
    RunEngineProcessor(Topics topics, EngineTiming timing, EngineSettings settings, CommandTopicCheck commandTopics,
                       PipelineRevisions revisions) {
        this.topics = topics;
        this.definitions = new Definitions(revisions);
        this.reader = new EngineInputReader(topics);
        this.commandTopics = commandTopics;
        this.timerResolution = timing.timerResolution();
        this.timersHeldAfterStart = timing.timersHeldAfterStart();
        this.snapshotInterval = timing.snapshotInterval();
        this.snapshots = new PendingSnapshots(!snapshotInterval.isZero());
        this.engine = new RunEngine(settings);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.runs = context.getStateStore(RunEngineTopology.RUNS_STORE);
        this.pipelines = context.getStateStore(RunEngineTopology.PIPELINES_STORE);
        this.timers = new TimerStore(context.getStateStore(RunEngineTopology.TIMERS_STORE));
        this.recent = new RecentRuns();
        // The context's clock is not set yet during init: the first punctuation starts the hold.
        this.timersFireFrom = -1;
        context.schedule(timerResolution, PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
        if (!snapshotInterval.isZero()) {
            context.schedule(snapshotInterval, PunctuationType.WALL_CLOCK_TIME, this::publishSnapshots);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = DeadLetterRecords.sourceTopic(context, "unknown");
        Object value;
        try {
            value = reader.read(topic, record.key(), record.value());
        } catch (EngineInputReader.UnreadableRecord e) {
            DeadLetterRecords.send(context, record, topic, CONSUMER_NAME, e.getMessage());
            LOG.warnf("dead-lettered a record of %s key=%s: %s", topic, record.key(), e.getMessage());
            return;
        }
        EngineEvent event = EngineInputs.toEvent(value, pipelines::get);
        if (event == null) {
            LOG.infof("run=%s ignored a %s the engine has no rule for: %s", record.key(), value.getClass().getSimpleName(), value);
            return;
        }
        handle(record.key(), event);
    }

    @Override
    public void close() {
        recent = null; // a task that closes may come back with its store restored from the changelog
    }

    private void fireDueTimers(long wallClockMillis) {
        if (timersFireFrom < 0) {
            timersFireFrom = wallClockMillis + timersHeldAfterStart.toMillis();
        }
        if (wallClockMillis < timersFireFrom) {
            return;
        }
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
        PipelineDefinition definition = null;
        Decision decision;
        try {
            definition = definitionFor(state, event);
            decision = engine.decide(state, event, now, definition);
        } catch (RuntimeException e) {
            // The rule that threw is a bug or a revision that no longer loads; either way this one
            // run pays for it, not every run behind it on the partition.
            LOG.errorf(e, "run=%s could not apply %s", runId, event.getClass().getSimpleName());
            decision = engine.failed(state, event, now, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (decision.refusal().isPresent()) {
            Refusal refusal = decision.refusal().get();
            LOG.debugf("run=%s ignored %s: %s", runId, event.getClass().getSimpleName(), refusal);
            if (state != null && isPersonsInstruction(event)) {
                // Whoever gave it watches the run's events: say why nothing happened.
                forward(runId, EffectRecords.runEvent(state, new Effect.EmitRunEvent("CONTROL_REFUSED", null, null,
                        event.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " refused: " + refusal.message()), now),
                        RunEngineTopology.RUN_EVENTS_SINK, now);
            }
            return;
        }
        RunState next = decision.state();
        if (decision.effects().stream().anyMatch(Effect.ForgetRun.class::isInstance)) {
            forget(next, now);
            return;
        }
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

    private static boolean isPersonsInstruction(EngineEvent event) {
        return event instanceof EngineEvent.Cancel || event instanceof EngineEvent.Approve
                || event instanceof EngineEvent.Reject || event instanceof EngineEvent.Resume;
    }

    /** The run's retention is over: its state goes, and a tombstone compacts its snapshot away. */
    private void forget(RunState run, Instant now) {
        runs.delete(run.runId());
        recent.remove(run.runId());
        snapshots.forget(run.runId());
        context.forward(new Record<String, Object>(run.runId(), (RunSnapshot) null, now.toEpochMilli()), RunEngineTopology.RUNS_SINK);
        LOG.debugf("run=%s pipeline=%s forgotten after its retention", run.runId(), run.pipeline());
    }

    /** @throws RuntimeException when the run's pipeline revision does not load (any more) */
    private PipelineDefinition definitionFor(RunState state, EngineEvent event) {
        if (event instanceof EngineEvent.RunCreated created) {
            try {
                return definitions.of(created.pipeline(), created.revision(), created.pipelineYaml());
            } catch (RuntimeException e) {
                throw new IllegalStateException("pipeline " + created.pipeline() + " revision " + created.revision()
                        + " does not load: " + e.getMessage(), e);
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
        String topic = topics.commands(command.getPool()).name();
        if (!commandTopics.exists(topic)) {
            // The attempt's start timeout fails it with a reason that names the pool.
            LOG.warnf("run=%s stage=%s: no topic %s for pool \"%s\"; the %s command is not sent (register the pipeline again to create it)",
                    command.getRunId(), command.getStage(), topic, command.getPool(), command.getAction());
            return;
        }
        Headers headers = new RecordHeaders().add(Topics.COMMAND_ACTION_HEADER,
                command.getAction().name().getBytes(StandardCharsets.US_ASCII));
        context.forward(new Record<String, Object>(key, command, now.toEpochMilli(), headers), RunEngineTopology.COMMANDS_SINK);
    }

    private void forward(String key, Object value, String sink, Instant now) {
        context.forward(new Record<>(key, value, now.toEpochMilli()), sink);
    }
}
