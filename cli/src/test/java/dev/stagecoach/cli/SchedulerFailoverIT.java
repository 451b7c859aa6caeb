package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.testkit.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two scheduler instances act as one: either answers for every run (the other's included),
 * takes instructions for runs it does not own, and the survivor of a kill -9 finishes the
 * other's runs without dispatching any attempt twice. Real processes, real broker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerFailoverIT {

    static final String FIRST = LocalStack.SCHEDULER;
    static final String SECOND = "scheduler-2";
    static final Set<String> ENDS = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    static final ObjectMapper JSON = new ObjectMapper();

    static Path dir;
    static EmbeddedKafkaBroker broker;
    static LocalStack stack;
    static ApiClient api;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startTwoSchedulers() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-failover-" + System.currentTimeMillis())).toAbsolutePath();
        broker = EndToEnd.startBroker(dir);
        // One worker runs every stage of the runs in flight at once, so that stages are mid-way when the kill comes.
        stack = EndToEnd.stackOn(broker, dir).startServices(broker.bootstrapServers(),
                Map.of(LocalStack.WORKER, List.of("-Dstagecoach.worker.max-concurrency=12")));
        stack.startService(SECOND, LocalStack.SCHEDULER, List.of());
        stack.awaitReady(SECOND);
        api = new ApiClient(stack.schedulerUrl(), stack.token());
        api.register("""
                pipeline:
                  name: slow
                  stages:
                    - {name: one, run: sleep 3}
                    - {name: two, run: sleep 3}
                    - {name: three, run: sleep 1}
                """, "slow.yaml");
        api.register("""
                pipeline:
                  name: gated
                  stages:
                    - {name: build, run: echo built}
                    - name: deploy
                      run: echo deployed
                      manual_approval: {approvers: [alice]}
                """, "gated.yaml");
        api.register("""
                pipeline:
                  name: endless
                  stages:
                    - {name: wait, timeout: 5m, run: sleep 300}
                """, "endless.yaml");
        // Both instances hold both rebalanced and serving before a test starts; pipelines are a global store.
        for (String scheduler : List.of(FIRST, SECOND)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> get(scheduler, "/api/pipelines/endless").status() == 200);
        }
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
    @Order(1)
    void approvalAndCancelSentToTheInstanceThatDoesNotOwnTheRunTakeEffect() {
        String gated = startOwnedBy("gated", null);
        String owner = answer(FIRST, gated).answeredBy();
        String other = owner.equals(FIRST) ? SECOND : FIRST;
        await().atMost(Duration.ofSeconds(60)).until(() -> "AWAITING_APPROVAL".equals(stage(answer(other, gated).json(), "deploy").path("status").asText()));

        Answer refused = post(other, "/api/runs/" + gated + "/approve", "{\"stage\": \"deploy\", \"by\": \"mallory\"}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.answeredBy()).as("the owner checked it").isEqualTo(owner);
        assertThat(refused.body()).contains("mallory may not decide about stage \\\"deploy\\\"");

        Answer approved = post(other, "/api/runs/" + gated + "/approve", "{\"stage\": \"deploy\", \"by\": \"alice\"}");
        assertThat(approved.status()).as(approved.body()).isEqualTo(202);
        assertThat(approved.answeredBy()).isEqualTo(owner);
        assertThat(awaitEnd(other, gated).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(stage(answer(other, gated).json(), "deploy").path("approval").path("by").asText()).isEqualTo("alice");

        String endless = startOwnedBy("endless", other.equals(FIRST) ? SECOND : FIRST);
        await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(stage(answer(other, endless).json(), "wait").path("status").asText()));
        Answer cancelled = post(other, "/api/runs/" + endless + "/cancel", "{\"by\": \"alice\", \"comment\": \"not needed\"}");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(202);
        assertThat(awaitEnd(other, endless).path("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    @Order(2)
    void survivorOfAKilledInstanceFinishesEveryRunAndDispatchesNoAttemptTwice() throws Exception {
        List<String> runs = new ArrayList<>();
        Map<String, String> owners = new LinkedHashMap<>();
        // Eight runs, more if need be until both instances own some: the kill must take runs with it.
        while (runs.size() < 8 || owners.values().stream().distinct().count() < 2) {
            assertThat(runs).as("runs started without both instances owning one").hasSizeLessThan(24);
            String run = api.start("slow", Map.of(), "failover-test").path("runId").asText();
            runs.add(run);
            await().atMost(Duration.ofSeconds(30)).until(() -> answer(FIRST, run).status() == 200);
            owners.put(run, answer(FIRST, run).answeredBy());
        }
        for (String run : runs) {
            Answer first = answer(FIRST, run);
            Answer second = answer(SECOND, run);
            assertThat(List.of(first.status(), second.status())).as("both instances answer for " + run).containsOnly(200);
            assertThat(second.answeredBy()).as("both see the same owner of " + run).isEqualTo(first.answeredBy());
        }

        // Mid-stage: the instance killed owns a run whose stage is running.
        String victim = await().atMost(Duration.ofSeconds(60)).until(() -> runs.stream()
                .filter(run -> hasRunningStage(answer(FIRST, run).json())).map(owners::get).findFirst().orElse(null), Objects::nonNull);
        String survivor = victim.equals(FIRST) ? SECOND : FIRST;
        stack.kill(victim);

        for (String run : runs) {
            JsonNode done = awaitEnd(survivor, run);
            assertThat(done.path("status").asText()).as(run + " owned by " + owners.get(run)).isEqualTo("SUCCEEDED");
        }
        for (String run : runs) {
            Answer status = answer(survivor, run);
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.answeredBy()).isEqualTo(survivor);
            Answer report = get(survivor, "/api/runs/" + run + "/report");
            assertThat(report.status()).isEqualTo(200);
            assertThat(report.body()).contains(run);
            List<String> attempts = EndToEnd.commandsFor(broker.clientProperties(), run).stream().map(StageCommand::getAttemptId).toList();
            assertThat(attempts).as("EXECUTE commands of " + run).doesNotHaveDuplicates().contains(run + "/one/1", run + "/three/1");
        }
    }

    /** Starts a run of {@code pipeline}; with {@code owner}, starts runs until one lands on that instance. */
    private static String startOwnedBy(String pipeline, String owner) {
        for (int tries = 0; tries < 16; tries++) {
            String run = api.start(pipeline, Map.of(), "failover-test").path("runId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> answer(FIRST, run).status() == 200);
            if (owner == null || owner.equals(answer(FIRST, run).answeredBy())) {
                return run;
            }
            post(FIRST, "/api/runs/" + run + "/cancel", "{\"comment\": \"owned by the other instance\"}");
        }
        throw new AssertionError("16 runs of " + pipeline + " and none owned by " + owner);
    }

    private static JsonNode awaitEnd(String scheduler, String run) {
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> answer(scheduler, run), a -> a.status() == 200 && ENDS.contains(a.json().path("status").asText()))
                .json();
    }

    private static boolean hasRunningStage(JsonNode run) {
        for (JsonNode stage : run.path("stages")) {
            if (stage.path("status").asText().equals("RUNNING")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode stage(JsonNode run, String name) {
        for (JsonNode stage : run.path("stages")) {
            if (stage.path("name").asText().equals(name)) {
                return stage;
            }
        }
        return JSON.createObjectNode();
    }

    record Answer(int status, String answeredBy, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }
    }

    private static Answer answer(String scheduler, String run) {
        return get(scheduler, "/api/runs/" + run);
    }

    private static Answer get(String scheduler, String path) {
        return send(scheduler, HttpRequest.newBuilder(URI.create(stack.serviceUrl(scheduler) + path)).GET());
    }

    private static Answer post(String scheduler, String path, String json) {
        return send(scheduler, HttpRequest.newBuilder(URI.create(stack.serviceUrl(scheduler) + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static Answer send(String scheduler, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + stack.token())
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("X-Stagecoach-Answered-By").orElse(""), response.body());
        } catch (IOException e) {
            return new Answer(0, "", scheduler + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", "interrupted");
        }
    }
}
