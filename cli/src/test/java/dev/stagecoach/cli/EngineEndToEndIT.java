package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.testkit.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the engine promises, over real processes: two workers in one pool, a real broker,
 * instructions given through the CLI.
 */
class EngineEndToEndIT {

    static Path dir;
    static EmbeddedKafkaBroker broker;
    static LocalStack stack;
    static WebhookSink hooks;
    static ApiClient api;

    @BeforeAll
    static void startStack() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-engine-" + System.currentTimeMillis())).toAbsolutePath();
        broker = EndToEnd.startBroker(dir);
        hooks = new WebhookSink();
        stack = EndToEnd.stackOn(broker, dir).startServices(broker.bootstrapServers());
        stack.startService("worker-2", LocalStack.WORKER, List.of());
        stack.awaitReady("worker-2");
        api = new ApiClient(stack.schedulerUrl(), stack.token());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (hooks != null) {
            hooks.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void diamondRunsItsBranchesAtOnceAndJoinsAfterBoth() throws Exception {
        // b and c wait for each other: the run only finishes if they really run at the same time.
        String run = start("diamond", """
                  type: hybrid
                  stages:
                    - {name: a, run: echo a}
                    - name: b
                      needs: [a]
                      timeout: 30s
                      run: touch b.ready; until [ -f c.ready ]; do sleep 0.05; done
                    - name: c
                      needs: [a]
                      timeout: 30s
                      run: touch c.ready; until [ -f b.ready ]; do sleep 0.05; done
                    - {name: d, needs: [b, c], run: echo d}
                """);

        JsonNode done = awaitEnd(run);
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        Instant dStarted = Instant.parse(stage(done, "d").path("startedAt").asText());
        assertThat(dStarted).isAfterOrEqualTo(Instant.parse(stage(done, "b").path("finishedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(stage(done, "c").path("finishedAt").asText()));
    }

    @Test
    void matrixStageFansOutAcrossTheWorkersAndItsDependantWaitsForEveryShard() throws Exception {
        String run = start("fanout", """
                  options: {parallel_workers: 6}
                  stages:
                    - name: test
                      matrix: {os: [linux, mac], jdk: ["17", "21", "25"]}
                      run: echo "$MATRIX_OS-$MATRIX_JDK shard $STAGECOACH_SHARD_INDEX of $STAGECOACH_SHARD_COUNT" > "shard-$STAGECOACH_SHARD_INDEX.txt"
                    - name: collect
                      run: cat shard-*.txt | sort
                """);

        JsonNode done = awaitEnd(run);
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        List<String> collected = new java.util.ArrayList<>();
        stage(done, "collect").path("outputTail").forEach(line -> collected.add(line.asText()));
        assertThat(collected).containsExactly("linux-17 shard 0 of 6", "linux-21 shard 1 of 6", "linux-25 shard 2 of 6",
                "mac-17 shard 3 of 6", "mac-21 shard 4 of 6", "mac-25 shard 5 of 6");
        assertThat(EndToEnd.commandsFor(broker.clientProperties(), run)).extracting(StageCommand::getStage)
                .hasSize(7).endsWith("collect");
    }

    @Test
    void flakyStageSucceedsOnItsThirdAttempt() throws Exception {
        String run = start("flaky", """
                  options:
                    retry_policy: {max_attempts: 3, backoff: exponential, initial_delay: 500ms}
                  stages:
                    - name: fetch
                      run: |
                        n=$(( $(cat tries 2>/dev/null || echo 0) + 1 )); echo $n > tries
                        echo "try $n"
                        [ "$n" -ge 3 ]
                """);

        JsonNode done = awaitEnd(run);
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(stage(done, "fetch").path("attempts").asInt()).isEqualTo(3);
        assertThat(stage(done, "fetch").path("outputTail").get(0).asText()).isEqualTo("try 3");
        assertThat(EndToEnd.commandsFor(broker.clientProperties(), run)).extracting(StageCommand::getAttempt).containsExactly(1, 2, 3);
        assertThat(api.report(run)).contains("needed 3 attempts: it may be flaky");
    }

    @Test
    void hangingStageIsKilledByItsTimeout() throws Exception {
        Path pid = dir.resolve("hang-" + UUID.randomUUID() + ".pid");
        String run = start("hang", """
                  stages:
                    - name: hang
                      timeout: 2s
                      run: |
                        sleep 300 &
                        echo $! > %s
                        wait
                """.formatted(pid));

        JsonNode done = awaitEnd(run);
        assertThat(done.path("status").asText()).isEqualTo("FAILED");
        assertThat(stage(done, "hang").path("error").asText()).startsWith("timed out after 2s");
        long sleeper = Long.parseLong(Files.readString(pid).trim());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void attemptOfAWorkerKilledMidStageMovesToTheOtherWorker() throws Exception {
        Path gate = dir.resolve("gate-" + UUID.randomUUID());
        String run = start("lost-worker", """
                  options:
                    retry_policy: {max_attempts: 2, initial_delay: 500ms}
                  stages:
                    - name: long
                      timeout: 5m
                      run: |
                        echo "attempt $STAGECOACH_ATTEMPT"
                        if [ "$STAGECOACH_ATTEMPT" = 1 ]; then until [ -f %s ]; do sleep 0.1; done; fi
                """.formatted(gate));
        try {
            String firstWorker = await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode long1 = stage(api.run(run), "long");
                return "RUNNING".equals(long1.path("status").asText()) ? long1.path("worker").asText() : null;
            }, w -> w != null);

            stack.kill(firstWorker);

            JsonNode done = awaitEnd(run);
            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            JsonNode long2 = stage(done, "long");
            assertThat(long2.path("attempts").asInt()).isEqualTo(2);
            assertThat(long2.path("worker").asText()).isNotEqualTo(firstWorker).startsWith("stage-workers".equals(firstWorker) ? "worker-2" : "stage-workers");
        } finally {
            Files.writeString(gate, "release the orphaned first attempt");
        }
    }

    @Test
    void stageWaitsForApprovalGivenThroughTheCli() throws Exception {
        String run = start("approval", """
                  stages:
                    - {name: build, run: echo built}
                    - name: deploy
                      run: echo deployed
                      manual_approval: {approvers: [alice]}
                  notifications:
                    on_approval: [{webhook: "%s"}]
                """.formatted(hooks.url("/approval")));
        await().atMost(Duration.ofSeconds(60)).until(() -> "AWAITING_APPROVAL".equals(stage(api.run(run), "deploy").path("status").asText()));
        await().atMost(Duration.ofSeconds(30)).until(() -> hooks.deliveriesFor(run).size() == 1);
        assertThat(hooks.deliveriesFor(run).get(0).body().path("subject").asText()).contains("awaits approval (stage deploy)");

        EndToEnd.CliRun refused = EndToEnd.cli("approve", run, "deploy", "--by", "mallory", "--server", stack.schedulerUrl(), "--token", stack.token());
        assertThat(refused.exitCode()).isEqualTo(Stagecoach.FAILED);
        assertThat(refused.output()).contains("mallory may not decide about stage \"deploy\"; its approvers are alice");

        EndToEnd.CliRun approved = EndToEnd.cli("approve", run, "deploy", "--by", "alice", "-m", "ship it", "--server", stack.schedulerUrl(), "--token", stack.token());
        assertThat(approved.exitCode()).as(approved.output()).isZero();

        JsonNode done = awaitEnd(run);
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(stage(done, "deploy").path("approval").path("by").asText()).isEqualTo("alice");
        assertThat(api.report(run)).contains("## Approvals", "| deploy | approved | alice |", "ship it");
    }

    @Test
    void failedRunResumesKeepingItsSucceededStages() throws Exception {
        Path fixed = dir.resolve("fixed-" + UUID.randomUUID());
        String run = start("resume", """
                  stages:
                    - {name: prepare, run: echo prepared}
                    - name: migrate
                      run: test -f %s || { echo "database not reachable" >&2; exit 4; }
                    - {name: finish, run: echo done}
                """.formatted(fixed));
        JsonNode failed = awaitEnd(run);
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");

        Files.writeString(fixed, "the database is back");
        EndToEnd.CliRun resumed = EndToEnd.cli("resume", run, "--server", stack.schedulerUrl(), "--token", stack.token());
        assertThat(resumed.exitCode()).as(resumed.output()).isZero();

        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(EndToEnd.runStatus(api, run)));
        JsonNode done = api.run(run);
        assertThat(stage(done, "prepare").path("attempts").asInt()).as("a succeeded stage is a checkpoint").isEqualTo(1);
        assertThat(stage(done, "migrate").path("attempts").asInt()).isEqualTo(2);
        assertThat(EndToEnd.commandsFor(broker.clientProperties(), run)).extracting(StageCommand::getAttemptId)
                .containsExactly(run + "/prepare/1", run + "/migrate/1", run + "/migrate/2", run + "/finish/1");
    }

    private static String start(String name, String body) throws Exception {
        return EndToEnd.startRun(stack, dir, name, body);
    }

    private static JsonNode awaitEnd(String runId) {
        return EndToEnd.awaitEnd(api, runId, Duration.ofSeconds(90));
    }

    private static JsonNode stage(JsonNode run, String name) {
        return EndToEnd.stage(run, name);
    }
}
