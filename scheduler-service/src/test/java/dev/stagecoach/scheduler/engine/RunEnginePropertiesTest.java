package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.PipelineType;
import dev.stagecoach.pipeline.RetryPolicy;
import dev.stagecoach.scheduler.engine.EngineEvent.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random pipelines and random interleavings of worker messages, duplicates, stale results,
 * clock moves, timers and cancels, with the invariants of ARCHITECTURE.md checked after every
 * decision (see {@link RunSimulation}). A failure prints the shrunk pipeline as YAML and the
 * events that led to it, one line per decision.
 */
class RunEnginePropertiesTest {

    private static final String NAMES = "abcdefgh";

    @Property(tries = 500)
    void invariantsHoldAfterEveryStepAndTheRunAlwaysEnds(@ForAll("pipelines") GeneratedPipeline pipeline,
                                                         @ForAll("interleavings") List<EngineStep> steps) {
        RunSimulation run = new RunSimulation(pipeline);
        steps.forEach(run::perform);
        Statistics.label("run after the random steps").collect(run.state().status());

        run.driveToEnd();

        assertThat(run.state().status().isTerminal()).isTrue();
        Statistics.label("run ends").collect(run.state().status());
        Statistics.label("some stage retried").collect(run.dispatches().stream().anyMatch(d -> d.attempt() > 1));
    }

    @Property(tries = 300)
    void runWhereEveryAttemptSucceedsEndsSucceeded(@ForAll("pipelines") GeneratedPipeline pipeline,
                                                   @ForAll("successfulInterleavings") List<EngineStep> steps) {
        RunSimulation run = new RunSimulation(pipeline);
        steps.forEach(run::perform);
        run.driveToEnd();

        assertThat(run.state().status()).as("run of %s", pipeline).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.state().stageList()).as("run of %s", pipeline)
                .allSatisfy(stage -> assertThat(stage.status()).isEqualTo(StageStatus.SUCCEEDED));
        assertThat(run.dispatches()).as("each stage of %s is dispatched once", pipeline)
                .extracting(Effect.DispatchStage::stage)
                .containsExactlyInAnyOrderElementsOf(pipeline.stages().stream().map(GeneratedPipeline.Stage::name).toList());
    }

    /** What exactly-once replay relies on: the same inputs from the same state give the same decision. */
    @Property(tries = 200)
    void replayingTheSameEventsFromScratchGivesTheSameDecisions(@ForAll("pipelines") GeneratedPipeline pipeline,
                                                               @ForAll("interleavings") List<EngineStep> steps) {
        RunSimulation original = new RunSimulation(pipeline);
        steps.forEach(original::perform);
        original.driveToEnd();

        RunEngine engine = new RunEngine();
        var definition = pipeline.load();
        RunState state = null;
        List<RunSimulation.Input> inputs = original.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            RunSimulation.Input input = inputs.get(i);
            Decision replayed = engine.decide(state, input.event(), input.now(), definition);
            assertThat(replayed).as("decision %d (%s) of a replay of %s", i, RunSimulation.describe(input.event()), pipeline)
                    .isEqualTo(original.decisions().get(i));
            state = replayed.state();
        }
    }

    @Provide
    Arbitrary<GeneratedPipeline> pipelines() {
        return Arbitraries.integers().between(1, 8).flatMap(size -> Combinators.combine(
                Arbitraries.of(PipelineType.class),
                Arbitraries.integers().between(1, 4),
                Arbitraries.of("30m", "2m", "10m"),
                retries().injectNull(0.4),
                Combinators.combine(IntStream.range(0, size).mapToObj(this::stage).toList()).as(List::copyOf),
                notifications()).as(GeneratedPipeline::new));
    }

    /** Stage {@code index} needs only stages declared before it, so the graph cannot have a cycle. */
    private Arbitrary<GeneratedPipeline.Stage> stage(int index) {
        Arbitrary<List<String>> needs = index == 0 ? Arbitraries.just(List.of())
                : Arbitraries.subsetOf(IntStream.range(0, index).mapToObj(RunEnginePropertiesTest::name).toList())
                        .map(set -> set.stream().sorted().toList());
        return Combinators.combine(
                needs,
                Arbitraries.of(true, true, true, false),
                Arbitraries.of("10m", "1s", "30s"),
                retries().injectNull(0.6)).as((n, critical, timeout, retry) ->
                new GeneratedPipeline.Stage(name(index), n, critical, timeout, retry));
    }

    private static String name(int index) {
        return String.valueOf(NAMES.charAt(index));
    }

    private Arbitrary<GeneratedPipeline.Retry> retries() {
        return Combinators.combine(
                Arbitraries.integers().between(1, 3),
                Arbitraries.of(RetryPolicy.Backoff.class),
                Arbitraries.of("0s", "500ms", "1s", "3s"),
                Arbitraries.of(true, false)).as((attempts, backoff, initial, capped) ->
                new GeneratedPipeline.Retry(attempts, backoff, initial, capped ? initial : "5s"));
    }

    private Arbitrary<GeneratedPipeline.Notifications> notifications() {
        Arbitrary<Integer> targets = Arbitraries.integers().between(0, 2);
        return Combinators.combine(targets, targets, targets).as(GeneratedPipeline.Notifications::new);
    }

    @Provide
    Arbitrary<List<EngineStep>> interleavings() {
        Arbitrary<Integer> pick = picks();
        // Mostly around the heartbeat timeout (20s), where an attempt lives or is lost by a millisecond.
        Arbitrary<Duration> advance = Arbitraries.<Long>frequencyOf(
                Tuple.of(5, Arbitraries.longs().between(1, 3_000)),
                Tuple.of(4, Arbitraries.of(5_000L, 10_000L, 15_000L, 19_999L, 20_000L, 31_000L)),
                Tuple.of(1, Arbitraries.of(60_000L, 600_000L))).map(Duration::ofMillis);
        return Arbitraries.<EngineStep>frequencyOf(
                Tuple.of(20, pick.map(EngineStep.Start::new)),
                Tuple.of(24, Combinators.combine(pick, Arbitraries.of(Outcome.class)).as(EngineStep.Finish::new)),
                Tuple.of(12, pick.map(EngineStep.Heartbeat::new)),
                Tuple.of(8, pick.map(EngineStep.Duplicate::new)),
                Tuple.of(8, Combinators.combine(pick, Arbitraries.of(EngineStep.Message.class)).as(EngineStep.Stale::new)),
                Tuple.of(4, Combinators.combine(pick, Arbitraries.of(EngineStep.Message.class)).as(EngineStep.Unrequested::new)),
                Tuple.of(12, advance.map(EngineStep.Advance::new)),
                Tuple.of(12, Arbitraries.just(new EngineStep.FireDueTimers())),
                Tuple.of(2, Arbitraries.just(new EngineStep.RequestAgain())),
                Tuple.of(1, Arbitraries.just(new EngineStep.Cancel()))).list().ofMaxSize(50);
    }

    /**
     * Only successes, with noise that must change nothing. The clock moves at most 50 x 200 ms,
     * less than a heartbeat timeout, so no attempt is lost to a timer.
     */
    @Provide
    Arbitrary<List<EngineStep>> successfulInterleavings() {
        Arbitrary<Integer> pick = picks();
        return Arbitraries.<EngineStep>frequencyOf(
                Tuple.of(20, pick.map(EngineStep.Start::new)),
                Tuple.of(20, pick.map(p -> new EngineStep.Finish(p, Outcome.SUCCEEDED))),
                Tuple.of(6, pick.map(EngineStep.Heartbeat::new)),
                Tuple.of(6, pick.map(EngineStep.Duplicate::new)),
                Tuple.of(3, Combinators.combine(pick, Arbitraries.of(EngineStep.Message.class)).as(EngineStep.Unrequested::new)),
                Tuple.of(6, Arbitraries.longs().between(1, 200).map(ms -> new EngineStep.Advance(Duration.ofMillis(ms)))),
                Tuple.of(6, Arbitraries.just(new EngineStep.FireDueTimers())),
                Tuple.of(1, Arbitraries.just(new EngineStep.RequestAgain()))).list().ofMaxSize(50);
    }

    private static Arbitrary<Integer> picks() {
        return Arbitraries.integers().between(0, 7);
    }
}
