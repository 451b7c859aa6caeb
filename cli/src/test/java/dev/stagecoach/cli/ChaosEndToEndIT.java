package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs go on while their parts die: waves of runs are started while the scheduler, a worker
 * and the broker are killed with kill -9 in a random (seeded, printed) order and started
 * again. Every run must succeed, and the stages' own ledger must show every attempt once.
 * Bounded: one kill after each wave, every kill waits for progress before the next, and three
 * waves (each part killed once) unless {@code -Dstagecoach.chaos.waves=N} asks for a longer soak.
 */
class ChaosEndToEndIT {

    static final int WAVES = Math.max(3, Integer.getInteger("stagecoach.chaos.waves", 3));
    static final int RUNS_PER_WAVE = 10;
    static final List<String> STAGES = List.of("fetch", "build", "ship");

    static Path dir;
    static Path ledger;
    static LocalStack stack;
    static ApiClient api;

    @BeforeAll
    static void startStack() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-chaos-" + System.currentTimeMillis())).toAbsolutePath();
        ledger = dir.resolve("ledger.txt");
        // The broker runs as a process of its own here, so that it can be killed like the services.
        stack = EndToEnd.stackWithItsOwnBroker(dir).start();
        stack.startService("worker-2", LocalStack.WORKER, List.of());
        stack.awaitReady("worker-2");
        api = new ApiClient(stack.schedulerUrl(), stack.token());
        StringBuilder yaml = new StringBuilder("""
                pipeline:
                  name: chaos
                  options:
                    parallel_workers: 2
                    timeout: 10m
                    retry_policy: {max_attempts: 8, backoff: fixed, initial_delay: 500ms}
                  stages:
                """);
        for (String stage : STAGES) {
            // A killed worker's attempt is retried; one that no worker starts (its taker was
            // killed first) is lost after the start timeout. Either way a new attempt id.
            yaml.append("    - name: ").append(stage).append("\n")
                    .append("      start_timeout: 15s\n")
                    .append("      run: echo \"$STAGECOACH_RUN_ID $STAGECOACH_STAGE $STAGECOACH_ATTEMPT\" >> ")
                    .append(ledger).append("; sleep 0.3\n");
        }
        api.register(yaml.toString(), "chaos.yaml");
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyRunSucceedsAndEveryAttemptRunsOnceWhileSchedulerWorkerAndBrokerAreKilled() throws Exception {
        long seed = System.nanoTime();
        System.out.println("[chaos] seed " + seed);
        Random random = new Random(seed);
        List<String> kinds = List.of(LocalStack.SCHEDULER, LocalStack.WORKER, LocalStack.KAFKA);
        List<String> victims = new ArrayList<>(kinds);
        while (victims.size() < WAVES) {
            victims.add(kinds.get(random.nextInt(kinds.size())));
        }
        Collections.shuffle(victims, random);
        List<String> runs = new ArrayList<>();
        Map<String, Integer> kills = new LinkedHashMap<>();
        long started = System.nanoTime();

        for (int wave = 0; wave < WAVES; wave++) {
            for (int i = 0; i < RUNS_PER_WAVE; i++) {
                runs.add(startRun("chaos-" + seed + "-" + wave + "-" + i));
            }
            int succeededBefore = succeeded(runs);
            String victim = victims.get(wave);
            kill(victim);
            kills.merge(victim, 1, Integer::sum);
            // The next kill only once the stack has moved on from this one.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> succeeded(runs) > succeededBefore);
        }
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> ended(runs) == runs.size());

        Map<String, JsonNode> finals = runs.stream().collect(Collectors.toMap(Function.identity(), api::run));
        Map<String, Long> ledgerLines = Files.readAllLines(ledger).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        Map<String, Long> dispatches = executeCommands().stream()
                .filter(c -> runs.contains(c.getRunId()))
                .collect(Collectors.groupingBy(StageCommand::getAttemptId, Collectors.counting()));
        long lost = finals.values().stream().filter(r -> !r.path("status").asText().equals("SUCCEEDED")).count();
        long duplicated = ledgerLines.values().stream().filter(n -> n > 1).count()
                + dispatches.values().stream().filter(n -> n > 1).count();
        long retried = finals.values().stream().flatMap(r -> stream(r.path("stages")))
                .filter(s -> s.path("attempts").asInt() > 1).count();
        System.out.printf("[chaos] %d runs, kills %s, lost %d, duplicated %d, stages retried %d, %d s%n",
                runs.size(), kills, lost, duplicated, retried, Duration.ofNanos(System.nanoTime() - started).toSeconds());

        assertThat(finals).allSatisfy((runId, run) -> {
            assertThat(run.path("status").asText()).as(runId + ": " + run.path("reason").asText()).isEqualTo("SUCCEEDED");
            for (String stage : STAGES) {
                int attempts = EndToEnd.stage(run, stage).path("attempts").asInt();
                assertThat(ledgerLines).as("the succeeded attempt of " + runId + "/" + stage + " ran")
                        .containsKey(runId + " " + stage + " " + attempts);
            }
        });
        assertThat(ledgerLines).as("no attempt ran twice").allSatisfy((line, times) -> assertThat(times).as(line).isEqualTo(1));
        assertThat(dispatches).as("no attempt was dispatched twice").allSatisfy((attempt, times) -> assertThat(times).as(attempt).isEqualTo(1));
    }

    private static String startRun(String idempotencyKey) {
        // While the scheduler is down or restarting the call fails; the key makes the retry start the same run.
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> api.start("chaos", Map.of(), "chaos-test", idempotencyKey).path("runId").asText(), id -> !id.isBlank());
    }

    private static void kill(String victim) {
        System.out.println("[chaos] kill -9 " + victim);
        if (victim.equals(LocalStack.KAFKA)) {
            stack.killAndRestartBroker();
        } else {
            stack.killAndRestart(victim, victim);
        }
    }

    private static int succeeded(List<String> runs) {
        return count(runs, status -> status.equals("SUCCEEDED"));
    }

    private static int ended(List<String> runs) {
        return count(runs, status -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status));
    }

    private static int count(List<String> runs, java.util.function.Predicate<String> status) {
        int n = 0;
        for (String run : runs) {
            if (status.test(EndToEnd.runStatus(api, run))) {
                n++;
            }
        }
        return n;
    }

    private static List<StageCommand> executeCommands() {
        Topic<StageCommand> topic = new Topics(Topics.DEFAULT_PREFIX).commands("default");
        Deserializer<StageCommand> commands = topic.valueSerde().deserializer();
        return EndToEnd.committedRecords(stack.kafkaClientProperties(), topic.name()).stream()
                .map(r -> commands.deserialize(topic.name(), r.value()))
                .filter(c -> c.getAction() == CommandAction.EXECUTE).toList();
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }
}
