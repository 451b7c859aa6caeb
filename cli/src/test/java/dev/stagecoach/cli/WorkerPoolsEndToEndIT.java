package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.testkit.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A stage that names a pool runs on a worker of that pool, over real processes: a default and a gpu worker. */
class WorkerPoolsEndToEndIT {

    static Path dir;
    static EmbeddedKafkaBroker broker;
    static LocalStack stack;
    static ApiClient api;

    @BeforeAll
    static void startStack() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-pools-" + System.currentTimeMillis())).toAbsolutePath();
        broker = EndToEnd.startBroker(dir);
        stack = EndToEnd.stackOn(broker, dir)
                .withWorkers(WorkerPools.parse("gpu=1")).startServices(broker.bootstrapServers());
        api = new ApiClient(stack.schedulerUrl(), stack.token());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void stageOfPoolGpuRunsOnTheGpuWorkerAndTheOthersOnDefault() throws Exception {
        Path file = dir.resolve("train.yaml");
        Files.writeString(file, """
                pipeline:
                  name: train
                  stages:
                    - {name: prepare, run: echo prepared}
                    - {name: train, pool: gpu, run: echo "trained on $STAGECOACH_STAGE"}
                    - {name: publish, run: echo published}
                  finally:
                    - {name: tidy, pool: gpu, run: echo tidy}
                """);

        EndToEnd.CliRun cli = EndToEnd.cli("run", file.toString(), "--server", stack.schedulerUrl(), "--token", stack.token());
        assertThat(cli.exitCode()).as(cli.output()).isZero();
        String run = cli.runId();

        JsonNode done = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.run(run), r -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(r.path("status").asText()));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(stage(done, "train").path("worker").asText()).isEqualTo("worker-gpu-1");
        assertThat(stage(done, "tidy").path("worker").asText()).isEqualTo("worker-gpu-1");
        assertThat(stage(done, "prepare").path("worker").asText()).isEqualTo(LocalStack.WORKER);
        assertThat(stage(done, "publish").path("worker").asText()).isEqualTo(LocalStack.WORKER);
        assertThat(EndToEnd.commandsFor(broker.clientProperties(), run, "gpu")).extracting(StageCommand::getStage)
                .containsExactly("train", "tidy");
        assertThat(EndToEnd.commandsFor(broker.clientProperties(), run)).extracting(StageCommand::getStage)
                .containsExactly("prepare", "publish");
    }

    private static JsonNode stage(JsonNode run, String name) {
        for (JsonNode stage : run.path("stages")) {
            if (stage.path("name").asText().equals(name)) {
                return stage;
            }
        }
        throw new AssertionError("run has no stage " + name + ": " + run);
    }
}
