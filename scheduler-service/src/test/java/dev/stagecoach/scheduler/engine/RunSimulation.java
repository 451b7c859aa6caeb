package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.Durations;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.scheduler.engine.EngineEvent.Outcome;
import dev.stagecoach.scheduler.engine.EngineEvent.StageFinished;
import dev.stagecoach.scheduler.engine.EngineEvent.StageHeartbeat;
import dev.stagecoach.scheduler.engine.EngineEvent.StageStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Plays one generated run against the engine through {@link EngineDriver} and checks the
 * invariants of ARCHITECTURE.md after every decision. It only uses the engine's public face
 * (decide, the events, the effects, the state's accessors), so it keeps holding while the
 * engine grows. Every event and its outcome goes into a trace that a failure prints.
 */
final class RunSimulation {

    static final String RUN_ID = "run-1";
    private static final String GHOST_STAGE = "ghost";

    /** What {@code decide} was given, to replay it. */
    record Input(EngineEvent event, Instant now) {
    }

    /** A message from a worker or a person, kept so that it can arrive again. */
    private record Sent(EngineEvent event, boolean applied) {
    }

    private final GeneratedPipeline pipeline;
    private final EngineDriver driver;
    private final PipelineDefinition definition;
    private final Instant start;
    private final List<String> trace = new ArrayList<>();
    private final List<Input> inputs = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final Map<String, String> stageOfAttempt = new LinkedHashMap<>();
    private final Map<String, Integer> lastAttempt = new HashMap<>();
    private final Set<String> dedupeIds = new HashSet<>();
    private final Map<String, Instant> startedAt = new HashMap<>();
    private final Map<String, Instant> lastHeardOf = new HashMap<>();
    private int finishRuns;
    private String runTimeoutTimer;

    RunSimulation(GeneratedPipeline pipeline) {
        this.pipeline = pipeline;
        this.driver = new EngineDriver(pipeline.yaml());
        this.definition = driver.definition;
        this.start = driver.now;
        EngineEvent request = new EngineEvent.RunCreated(RUN_ID, definition.name(), 1, driver.yaml, Map.of(), "prop");
        Decision created = apply("", request);
        sent.add(new Sent(request, true));
        runTimeoutTimer = created.effects().stream()
                .filter(Effect.ScheduleTimer.class::isInstance).map(Effect.ScheduleTimer.class::cast)
                .filter(t -> t.dueAt().equals(created.state().deadline()))
                .map(Effect.ScheduleTimer::timerId).findFirst().orElse(null);
    }

    RunState state() {
        return driver.state;
    }

    List<Input> inputs() {
        return List.copyOf(inputs);
    }

    List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    List<Effect.DispatchStage> dispatches() {
        return driver.dispatches();
    }

    List<Effect.ScheduleTimer> liveTimers() {
        return driver.scheduledTimers().stream().distinct().toList();
    }

    void perform(EngineStep step) {
        if (step instanceof EngineStep.Start start) {
            pick(withStatus(StageStatus.DISPATCHED), start.pick(), step).ifPresent(stage ->
                    send("", new StageStarted(stage.name(), stage.attemptId(), "worker-" + start.pick())));
        } else if (step instanceof EngineStep.Heartbeat heartbeat) {
            pick(withStatus(StageStatus.RUNNING), heartbeat.pick(), step).ifPresent(stage ->
                    send("", new StageHeartbeat(stage.name(), stage.attemptId())));
        } else if (step instanceof EngineStep.Finish finish) {
            List<StageState> inFlight = state().stageList().stream().filter(s -> s.status().isInFlight()).toList();
            pick(inFlight, finish.pick(), step).ifPresent(stage ->
                    send("", finished(stage.name(), stage.attemptId(), finish.outcome())));
        } else if (step instanceof EngineStep.Duplicate duplicate) {
            pick(sent, duplicate.pick(), step).ifPresent(this::sendAgain);
        } else if (step instanceof EngineStep.Stale stale) {
            List<Map.Entry<String, String>> old = stageOfAttempt.entrySet().stream()
                    .filter(e -> !e.getKey().equals(state().stage(e.getValue()).attemptId())).toList();
            pick(old, stale.pick(), step).ifPresent(attempt -> {
                Decision decision = send("stale ", message(stale.message(), attempt.getValue(), attempt.getKey()));
                assertThat(decision.changed()).as(why("5. a message for attempt " + attempt.getKey()
                        + ", which is no longer the current one, changes nothing")).isFalse();
            });
        } else if (step instanceof EngineStep.Unrequested unrequested) {
            List<String> never = new ArrayList<>(state().stageList().stream()
                    .filter(s -> s.attempts() == 0).map(StageState::name).toList());
            never.add(GHOST_STAGE);
            String stage = never.get(unrequested.pick() % never.size());
            // Looks like the id the stage's first attempt would get, the likeliest one to be mistaken for it.
            Decision decision = send("unrequested ", message(unrequested.message(), stage, RUN_ID + "/" + stage + "/1"));
            assertThat(decision.changed()).as(why("5. a message for stage " + stage + ", which was never dispatched,"
                    + " changes nothing")).isFalse();
        } else if (step instanceof EngineStep.Advance advance) {
            advance(advance.by());
        } else if (step instanceof EngineStep.FireDueTimers) {
            fireDueTimers("");
        } else if (step instanceof EngineStep.RequestAgain) {
            Decision decision = apply("again ", new EngineEvent.RunCreated(RUN_ID, definition.name(), 1, driver.yaml,
                    Map.of("unexpected", "value"), "someone else"));
            assertThat(decision.changed()).as(why("5. a second request for the same run changes nothing")).isFalse();
        } else if (step instanceof EngineStep.Cancel) {
            send("", new EngineEvent.Cancel("prop", null));
        } else {
            throw new IllegalArgumentException("unknown step " + step);
        }
    }

    /**
     * Drives the run to its end the friendliest way: every dispatched attempt starts and succeeds,
     * and when nothing is in flight the clock moves to the next timer. Fails when that takes
     * longer than the attempts the pipeline allows, or when the run is stuck.
     */
    void driveToEnd() {
        int maxAttempts = definition.stages().stream().mapToInt(s -> definition.retryPolicyOf(s).maxAttempts()).max().orElse(1);
        int budget = 4 * definition.stages().size() * maxAttempts + liveTimers().size() + 10;
        for (int steps = 0; !state().status().isTerminal(); steps++) {
            assertThat(steps).as(why("6. the run ends within " + budget + " steps once every attempt succeeds")).isLessThan(budget);
            Optional<StageState> dispatched = withStatus(StageStatus.DISPATCHED).stream().findFirst();
            Optional<StageState> running = withStatus(StageStatus.RUNNING).stream().findFirst();
            if (dispatched.isPresent()) {
                send("drive ", new StageStarted(dispatched.get().name(), dispatched.get().attemptId(), "worker-drive"));
            } else if (running.isPresent()) {
                send("drive ", finished(running.get().name(), running.get().attemptId(), Outcome.SUCCEEDED));
            } else {
                Optional<Effect.ScheduleTimer> next = liveTimers().stream()
                        .filter(t -> !t.timerId().equals(runTimeoutTimer))
                        .min(Comparator.comparing(Effect.ScheduleTimer::dueAt));
                assertThat(next).as(why("6. a RUNNING run with nothing in flight has a timer that moves it on,"
                        + " other than its own timeout")).isPresent();
                if (next.get().dueAt().isAfter(driver.now)) {
                    advance(Duration.between(driver.now, next.get().dueAt()));
                }
                fireDueTimers("drive ");
            }
        }
    }

    private void advance(Duration by) {
        driver.advance(by);
        trace.add(String.format("%3d %-8s clock +%s", trace.size(), "t+" + elapsed(), Durations.format(by)));
    }

    /**
     * Fires due timers as the topology's punctuator does: it lists the due ones first, in the
     * order of its store (due time, then timer id), then fires each, even one that an earlier
     * firing of the same pass cancelled.
     */
    private void fireDueTimers(String label) {
        List<Effect.ScheduleTimer> due = liveTimers().stream().filter(t -> !t.dueAt().isAfter(driver.now))
                .sorted(Comparator.comparing(Effect.ScheduleTimer::dueAt).thenComparing(Effect.ScheduleTimer::timerId))
                .toList();
        if (due.isEmpty()) {
            trace.add(String.format("%3d %-8s %sno timer is due", trace.size(), "t+" + elapsed(), label));
        }
        for (Effect.ScheduleTimer timer : due) {
            driver.effects.add(new Effect.CancelTimer(timer.timerId(), timer.dueAt()));
            apply(label, new EngineEvent.TimerFired(timer.timerId()));
        }
        if (state().status() == RunStatus.RUNNING) {
            for (StageState stage : withStatus(StageStatus.RUNNING)) {
                assertThat(stage.attempt().heartbeatBy()).as(why("lost workers are detected: once due timers fired, running"
                        + " attempt " + stage.attemptId() + " is within its heartbeat deadline")).isAfter(driver.now);
            }
        }
    }

    private void sendAgain(Sent original) {
        Decision decision = send("duplicate ", original.event());
        boolean heartbeat = original.event() instanceof StageHeartbeat;
        if (original.applied() && !heartbeat) {
            assertThat(decision.changed()).as(why("5. a duplicate of an applied " + describe(original.event())
                    + " changes nothing")).isFalse();
        }
    }

    private Decision send(String label, EngineEvent event) {
        Decision decision = apply(label, event);
        sent.add(new Sent(event, decision.changed()));
        return decision;
    }

    private Decision apply(String label, EngineEvent event) {
        RunState before = driver.state;
        driver.apply(event);
        Decision decision = driver.last;
        inputs.add(new Input(event, driver.now));
        decisions.add(decision);
        trace.add(String.format("%3d %-8s %s%s -> %s", trace.size(), "t+" + elapsed(), label, describe(event), outcome(decision)));
        checkInvariants(before, event, decision);
        return decision;
    }

    private void checkInvariants(RunState before, EngineEvent event, Decision decision) {
        RunState after = decision.state();
        if (!decision.changed()) {
            assertThat(after).as(why("5. an ignored event leaves the state as it was")).isEqualTo(before);
            assertThat(decision.effects()).as(why("5. an ignored event has no effects")).isEmpty();
        }

        boolean wasTerminal = before != null && before.status().isTerminal();
        assertThat(after.status() == RunStatus.RUNNING || after.status().isTerminal())
                .as(why("1. a run is RUNNING until it ends SUCCEEDED, FAILED or CANCELLED, but it is " + after.status())).isTrue();
        if (wasTerminal) {
            assertThat(after.status()).as(why("1. an ended run keeps its status")).isEqualTo(before.status());
        }
        List<RunStatus> finished = decision.effects().stream().filter(Effect.FinishRun.class::isInstance)
                .map(e -> ((Effect.FinishRun) e).status()).toList();
        finishRuns += finished.size();
        assertThat(finishRuns).as(why("1. a run ends once")).isLessThanOrEqualTo(1);
        if (!wasTerminal && after.status().isTerminal()) {
            assertThat(finished).as(why("1. the decision that ends the run says so")).containsExactly(after.status());
        }
        if (after.status().isTerminal()) {
            assertThat(after.stageList()).extracting(StageState::status)
                    .as(why("1. an ended run has no stage pending, in flight or waiting for a retry"))
                    .doesNotContain(StageStatus.PENDING, StageStatus.DISPATCHED, StageStatus.RUNNING, StageStatus.RETRY_WAIT);
        }

        long inFlight = after.stageList().stream().filter(s -> s.status().isInFlight()).count();
        assertThat(inFlight).as(why("3. at most parallel_workers stages are in flight"))
                .isLessThanOrEqualTo(definition.options().parallelWorkers());

        if (decision.changed()) {
            checkNoLiveWorkerIsDeclaredLost(before, event, after);
        }

        for (Effect effect : decision.effects()) {
            if (effect instanceof Effect.DispatchStage dispatch) {
                checkDispatch(after, dispatch);
            } else if (effect instanceof Effect.Notify notify) {
                assertThat(dedupeIds.add(notify.dedupeId()))
                        .as(why("7. notification dedupe id " + notify.dedupeId() + " is unique within the run")).isTrue();
            }
        }
    }

    /**
     * The converse of heartbeat detection: a timer may fail a running attempt only once its worker
     * has been silent for the heartbeat timeout, or the stage's timeout and grace have passed.
     */
    private void checkNoLiveWorkerIsDeclaredLost(RunState before, EngineEvent event, RunState after) {
        if (event instanceof StageStarted started) {
            startedAt.put(started.attemptId(), driver.now);
            lastHeardOf.put(started.attemptId(), driver.now);
        } else if (event instanceof StageHeartbeat heartbeat) {
            lastHeardOf.put(heartbeat.attemptId(), driver.now);
        } else if (event instanceof EngineEvent.TimerFired) {
            for (StageState was : before.stageList()) {
                StageState is = after.stage(was.name());
                boolean lost = was.status() == StageStatus.RUNNING
                        && (is.status() == StageStatus.RETRY_WAIT || is.status() == StageStatus.FAILED);
                if (lost) {
                    Instant silentUntil = lastHeardOf.get(was.attemptId()).plus(EngineEvent.HEARTBEAT_TIMEOUT);
                    Instant deadline = startedAt.get(was.attemptId())
                            .plus(definition.stage(was.name()).orElseThrow().timeout()).plus(EngineEvent.DEADLINE_GRACE);
                    assertThat(!driver.now.isBefore(silentUntil) || !driver.now.isBefore(deadline))
                            .as(why("lost workers are detected: attempt " + was.attemptId() + " counts as lost only after"
                                    + " its worker was silent until " + silentUntil + " or its deadline " + deadline
                                    + " passed, but it is " + driver.now))
                            .isTrue();
                }
            }
        }
    }

    private void checkDispatch(RunState after, Effect.DispatchStage dispatch) {
        String stage = dispatch.stage();
        for (String need : definition.effectiveNeeds().getOrDefault(stage, List.of())) {
            StageState needed = after.stage(need);
            boolean critical = definition.stage(need).orElseThrow().critical();
            assertThat(needed.status() == StageStatus.SUCCEEDED || needed.status() == StageStatus.FAILED && !critical)
                    .as(why("2. " + stage + " is dispatched only once its need " + need + " succeeded or failed"
                            + " non-critically, but it is " + needed.status() + (critical ? "" : " (non-critical)")))
                    .isTrue();
        }
        assertThat(stageOfAttempt.put(dispatch.attemptId(), stage))
                .as(why("4. attempt id " + dispatch.attemptId() + " is dispatched once")).isNull();
        int previous = lastAttempt.getOrDefault(stage, 0);
        assertThat(dispatch.attempt()).as(why("4. the attempts of " + stage + " count 1, 2, 3...")).isEqualTo(previous + 1);
        lastAttempt.put(stage, dispatch.attempt());
        int maxAttempts = definition.retryPolicyOf(definition.stage(stage).orElseThrow()).maxAttempts();
        assertThat(dispatch.attempt()).as(why("4. " + stage + " gets at most max_attempts " + maxAttempts))
                .isLessThanOrEqualTo(maxAttempts);
        StageState now = after.stage(stage);
        assertThat(now.status().isInFlight() && dispatch.attemptId().equals(now.attemptId()))
                .as(why("4. the run waits for the attempt " + dispatch.attemptId() + " it dispatched, but " + stage
                        + " is " + now.status() + " with attempt " + now.attemptId()))
                .isTrue();
    }

    private List<StageState> withStatus(StageStatus status) {
        return state().stageList().stream().filter(s -> s.status() == status).toList();
    }

    /** The {@code pick}-th candidate, wrapping around; a step with no candidate is noted and does nothing. */
    private <T> Optional<T> pick(List<T> candidates, int pick, EngineStep step) {
        if (candidates.isEmpty()) {
            trace.add(String.format("%3d %-8s %s: nothing to act on", trace.size(), "t+" + elapsed(), step));
            return Optional.empty();
        }
        return Optional.of(candidates.get(pick % candidates.size()));
    }

    private static EngineEvent message(EngineStep.Message kind, String stage, String attemptId) {
        return switch (kind) {
            case STARTED -> new StageStarted(stage, attemptId, "worker-late");
            case HEARTBEAT -> new StageHeartbeat(stage, attemptId);
            case FINISHED -> finished(stage, attemptId, Outcome.SUCCEEDED);
        };
    }

    private static StageFinished finished(String stage, String attemptId, Outcome outcome) {
        boolean ok = outcome == Outcome.SUCCEEDED;
        return new StageFinished(stage, attemptId, outcome, ok ? 0 : 1, 10L, ok ? null : "failed on purpose", List.of(), Map.of());
    }

    private String elapsed() {
        return Durations.format(Duration.between(start, driver.now));
    }

    static String describe(EngineEvent event) {
        if (event instanceof StageStarted e) {
            return "StageStarted(" + e.attemptId() + ")";
        }
        if (event instanceof StageHeartbeat e) {
            return "StageHeartbeat(" + e.attemptId() + ")";
        }
        if (event instanceof StageFinished e) {
            return "StageFinished(" + e.attemptId() + ", " + e.outcome() + ")";
        }
        if (event instanceof EngineEvent.TimerFired e) {
            return "TimerFired(" + e.timerId() + ")";
        }
        return event.getClass().getSimpleName();
    }

    private static String outcome(Decision decision) {
        if (!decision.changed()) {
            return "ignored: " + decision.refusal().orElseThrow();
        }
        String stages = decision.state().stageList().stream()
                .map(s -> s.name() + "=" + s.status() + (s.attempts() > 1 ? "#" + s.attempts() : ""))
                .collect(Collectors.joining(" "));
        String dispatched = decision.effects().stream().filter(Effect.DispatchStage.class::isInstance)
                .map(e -> ((Effect.DispatchStage) e).attemptId()).collect(Collectors.joining(", "));
        return decision.state().status() + " [" + stages + "]" + (dispatched.isEmpty() ? "" : " dispatch " + dispatched);
    }

    /** The invariant that broke, with the pipeline and everything that happened, for the failure message. */
    private Supplier<String> why(String invariant) {
        return () -> invariant + "\npipeline: " + pipeline + "\n" + pipeline.yaml() + "events:\n" + String.join("\n", trace) + "\n";
    }
}
