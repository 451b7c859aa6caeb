package dev.stagecoach.scheduler.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.RunSnapshot;
import dev.stagecoach.events.StageSnapshot;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.engine.RunStatus;
import dev.stagecoach.scheduler.engine.StageState;
import dev.stagecoach.scheduler.engine.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static final PipelineDefinition PIPELINE = PipelineLoader.load("""
            pipeline:
              name: eta
              stages:
                - name: build
                  run: make
                - name: test
                  needs: [build]
                  run: make test
                - name: lint
                  needs: [build]
                  run: make lint
                - name: deploy
                  needs: [test, lint]
                  run: make deploy
            """, "eta.yaml").orThrow();
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void theEstimateWalksTheNeedsWithEachStagesMedianDuration() {
        // Three past runs: build 60 s (median of 50, 60, 90), test 120 s, lint 30 s, deploy 10 s.
        List<RunSummary> history = List.of(
                succeeded(Map.of("build", 50L, "test", 100L, "lint", 30L, "deploy", 10L)),
                succeeded(Map.of("build", 60L, "test", 120L, "lint", 30L, "deploy", 10L)),
                succeeded(Map.of("build", 90L, "test", 200L, "lint", 30L, "deploy", 10L)));
        Instant now = T0.plusSeconds(20);
        Map<String, StageState> stages = new LinkedHashMap<>();
        stages.put("build", running("build", T0));
        stages.put("test", StageState.pending("test"));
        stages.put("lint", StageState.pending("lint"));
        stages.put("deploy", StageState.pending("deploy"));
        RunState run = new RunState("r", "eta", 1, "", Map.of(), "me", RunStatus.RUNNING, stages, T0, null, null, null, null);

        Progress progress = Progress.of(run, PIPELINE, history, now);

        // build ends at 60 s, test (the longer branch) at 180 s, deploy at 190 s.
        assertThat(progress.estimatedEnd()).isEqualTo(T0.plusSeconds(190));
        assertThat(progress.remainingMillis()).isEqualTo(Duration.ofSeconds(170).toMillis());
        assertThat(progress.done()).isZero();
        assertThat(progress.total()).isEqualTo(4);
        assertThat(progress.running()).containsExactly("build");
    }

    @Test
    void aStageThatNeverSucceededBeforeLeavesTheEndUnknown() {
        List<RunSummary> history = List.of(succeeded(Map.of("build", 50L)));
        Map<String, StageState> stages = new LinkedHashMap<>();
        stages.put("build", running("build", T0));
        stages.put("test", StageState.pending("test"));
        stages.put("lint", StageState.pending("lint"));
        stages.put("deploy", StageState.pending("deploy"));
        RunState run = new RunState("r", "eta", 1, "", Map.of(), "me", RunStatus.RUNNING, stages, T0, null, null, null, null);

        assertThat(Progress.of(run, PIPELINE, history, T0).estimatedEnd()).isNull();
    }

    private static StageState running(String name, Instant startedAt) {
        return new StageState(name, StageStatus.RUNNING, 1, 0,
                new StageState.Attempt("r/" + name + "/1", "w", startedAt, null, startedAt, null, null), null, null, null);
    }

    private static RunSummary succeeded(Map<String, Long> seconds) {
        List<StageSnapshot> stages = seconds.entrySet().stream().map(e -> StageSnapshot.newBuilder()
                .setName(e.getKey()).setStatus("SUCCEEDED")
                .setStartedAt(T0).setFinishedAt(T0.plusSeconds(e.getValue())).build()).toList();
        return RunSummary.of(RunSnapshot.newBuilder().setRunId("past").setPipeline("eta").setStatus("SUCCEEDED")
                .setStages(stages).setCreatedAt(T0).build());
    }
}
