package dev.stagecoach.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.scheduler.engine.Artifact;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.engine.RunStatus;
import dev.stagecoach.scheduler.engine.StageState;
import dev.stagecoach.scheduler.engine.StageStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run state as the store and its changelog hold it, across scheduler versions. */
class RunStateSerdeTest {

    final RunStateSerde serde = new RunStateSerde();

    @Test
    void aStateWrittenBeforeArtifactsWereKeptStillReads() {
        String written = """
                {"runId":"run-1","pipeline":"release","pipelineRevision":3,"parameters":{"version":"1.4.2"},
                 "requestedBy":"alice","status":"SUCCEEDED",
                 "stages":{"build":{"name":"build","status":"SUCCEEDED","attempts":1,"attemptsBeforeResume":0,
                   "attemptId":"run-1/build/1","worker":"w1","dispatchedAt":1767225600000,"startedAt":1767225600100,
                   "finishedAt":1767225601000,"durationMillis":900,"exitCode":0,"outputTail":["built"],
                   "metrics":{"size":12.0},"outputs":{"artifact":"dist/app.tar.gz"}}},
                 "createdAt":1767225600000,"deadline":1767227400000,"finishedAt":1767225601000,"reason":"all stages succeeded"}
                """;

        RunState state = serde.deserializer().deserialize("runs", written.getBytes(StandardCharsets.UTF_8));

        StageState build = state.stage("build");
        assertThat(build.artifacts()).isEmpty();
        assertThat(build.outputs()).containsEntry("artifact", "dist/app.tar.gz");
        assertThat(build.finishedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
    }

    @Test
    void flatStagesWrittenBeforeTheGroupingReadWithTheirDeadlinesWhereTheyBelong() {
        String written = """
                {"runId":"run-1","pipeline":"release","pipelineRevision":3,"parameters":{},"requestedBy":"alice",
                 "status":"RUNNING","stages":{
                   "build":{"name":"build","status":"RUNNING","attempts":2,"attemptsBeforeResume":0,
                     "attemptId":"run-1/build/2","worker":"w1","dispatchedAt":1767225600000,"startedAt":1767225600100,
                     "deadline":1767225700000,"heartbeatDeadline":1767225620000,"error":"exited with code 1"},
                   "deploy":{"name":"deploy","status":"AWAITING_APPROVAL","attempts":0,"attemptsBeforeResume":0,
                     "awaitingSince":1767225600000,"deadline":1767229200000}},
                 "createdAt":1767225600000,"deadline":1767227400000}
                """;

        RunState state = serde.deserializer().deserialize("runs", written.getBytes(StandardCharsets.UTF_8));

        StageState build = state.stage("build");
        assertThat(build.attempt()).isEqualTo(new StageState.Attempt("run-1/build/2", "w1", Instant.ofEpochMilli(1767225600000L),
                null, Instant.ofEpochMilli(1767225600100L), Instant.ofEpochMilli(1767225700000L), Instant.ofEpochMilli(1767225620000L)));
        assertThat(build.error()).isEqualTo("exited with code 1");
        StageState deploy = state.stage("deploy");
        assertThat(deploy.approvalState()).isEqualTo(new StageState.ApprovalState(Instant.ofEpochMilli(1767225600000L),
                Instant.ofEpochMilli(1767229200000L), null));
        assertThat(serde.deserializer().deserialize("runs", serde.serializer().serialize("runs", state))).isEqualTo(state);
    }

    @Test
    void keptArtifactsSurviveTheStore() {
        Artifact tarball = new Artifact("dist/app.tar.gz", "file:///artifacts/run-1/build/1/dist/app.tar.gz", 4096,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        StageState build = new StageState("build", StageStatus.SUCCEEDED, 1, 0,
                new StageState.Attempt("run-1/build/1", "w1", null, null, null, null, null), null, null,
                new StageState.Result(null, 900L, 0, null, List.of("built"), Map.of(), Map.of(), List.of(tarball)));
        RunState state = new RunState("run-1", "release", 3, null, Map.of(), "alice", RunStatus.SUCCEEDED,
                Map.of("build", build), Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:30:00Z"),
                null, null, null);

        RunState read = serde.deserializer().deserialize("runs", serde.serializer().serialize("runs", state));

        assertThat(read).isEqualTo(state);
    }
}
