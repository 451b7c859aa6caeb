package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.InvalidParametersException;
import dev.stagecoach.pipeline.NotificationEvent;
import dev.stagecoach.pipeline.ParameterBinder;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.scheduler.engine.EngineEvent.RunCreated;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A run comes in: its pipeline and parameters are checked, its stages laid out, and the first ones started. */
final class Admission {

    private final Ending ending;
    private final Scheduling scheduling;

    Admission(Ending ending, Scheduling scheduling) {
        this.ending = ending;
        this.scheduling = scheduling;
    }

    /** A request for a run that does not exist yet (a repeated one is refused by the engine before it gets here). */
    Decision onRunCreated(RunCreated created, Instant now, ExpandedPipeline pipeline) {
        if (pipeline == null) {
            return ending.refused(created, 0, null, created.parameters(),
                    "no pipeline named \"" + created.pipeline() + "\" is registered", now);
        }
        PipelineDefinition definition = pipeline.definition;
        Map<String, String> parameters;
        try {
            parameters = ParameterBinder.bindSealed(definition, created.parameters());
        } catch (InvalidParametersException e) {
            return ending.refused(created, created.revision(), created.pipelineYaml(), ParameterBinder.masked(definition, created.parameters()),
                    "invalid parameters: " + String.join("; ", e.problems()), now);
        }
        Map<String, StageState> stages = new LinkedHashMap<>();
        definition.stages().forEach(s -> stages.put(s.name(), StageState.pending(s.name())));
        definition.finallyStages().forEach(s -> stages.put(s.name(), StageState.pending(s.name())));
        Instant deadline = now.plus(definition.optionsFor(parameters).timeout());
        RunState state = new RunState(created.runId(), definition.name(), created.revision(), created.pipelineYaml(),
                parameters, created.requestedBy(), created.trigger(), RunStatus.RUNNING, stages, now, deadline, null, null, null);
        Step step = new Step(state, now, pipeline);
        step.effect(new Effect.ScheduleTimer(RunEngine.RUN_TIMEOUT, deadline));
        step.event("RUN_STARTED", null, null, "started by " + Step.who(created.requestedBy()));
        step.notify(NotificationEvent.ON_START);
        scheduling.advance(step);
        return step.decision();
    }
}
