package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.testkit.EmbeddedKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged services on a cluster of three brokers, every topic with three replicas and
 * min.insync.replicas 2: a broker killed in the middle of several runs loses nothing and
 * repeats nothing.
 */
class ReplicatedClusterEndToEndIT {

    private static final int RUNS = 4;
    private static final List<String> STAGES = List.of("fetch", "build", "check");

    static Path dir;
    static EmbeddedKafkaCluster cluster;
    static LocalStack stack;
    static ApiClient api;

    @BeforeAll
    static void startStack() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-cluster-" + System.currentTimeMillis())).toAbsolutePath();
        cluster = EndToEnd.startCluster(dir);
        stack = new LocalStack(Stagecoach.home(), dir.resolve("stack")).stopWithThisJvm()
                .withKafkaSettings(cluster.clientProperties())
                .withReplication(3, 2).withWorkers(WorkerPools.parse("default=2"))
                .startServices(cluster.bootstrapServers());
        api = new ApiClient(stack.schedulerUrl(), stack.token());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void runsSurviveTheLossOfABrokerWithEveryAttemptExecutedOnce() throws Exception {
        // Each execution leaves a line; two lines for one attempt would be a command executed twice.
        Path executions = dir.resolve("executions.log");
        Path file = dir.resolve("steady.yaml");
        StringBuilder yaml = new StringBuilder("pipeline:\n  name: steady\n  stages:\n");
        for (String stage : STAGES) {
            yaml.append("    - name: ").append(stage).append("\n      timeout: 2m\n      run: |\n")
                    .append("        sleep 1\n")
                    .append("        echo \"$STAGECOACH_RUN_ID $STAGECOACH_STAGE $STAGECOACH_ATTEMPT\" >> ").append(executions).append('\n');
        }
        Files.writeString(file, yaml);
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            EndToEnd.CliRun cli = EndToEnd.cli("run", file.toString(), "--server", stack.schedulerUrl(), "--token", stack.token());
            assertThat(cli.exitCode()).as(cli.output()).isZero();
            runs.add(cli.runId());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(executions));

        // The transaction coordinator of every transactional producer (one partition): its
        // broker's loss is the hardest on exactly-once.
        int victim = transactionCoordinator();
        assertThat(Files.readAllLines(executions)).as("executions before the broker is killed").hasSizeLessThan(RUNS * STAGES.size());
        cluster.kill(victim);

        List<JsonNode> finished = new ArrayList<>();
        for (String run : runs) {
            JsonNode done = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> readRun(run), r -> r != null && List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(r.path("status").asText()));
            finished.add(done);
        }
        assertThat(finished).allSatisfy(done -> assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED"));

        List<String> lines = Files.readAllLines(executions);
        for (String run : runs) {
            List<String> attempts = EndToEnd.commandsFor(cluster.clientProperties(), run).stream()
                    .map(c -> run + " " + c.getStage() + " " + c.getAttempt()).toList();
            assertThat(attempts).as("commands of run " + run).doesNotHaveDuplicates();
            assertThat(attempts.stream().map(a -> a.split(" ")[1]).distinct()).as("stages dispatched").containsExactlyInAnyOrderElementsOf(STAGES);
            List<String> executed = lines.stream().filter(l -> l.startsWith(run + " ")).toList();
            assertThat(executed).as("executions of run " + run).containsExactlyInAnyOrderElementsOf(attempts);
        }
        assertThat(cluster.isRunning(victim)).isFalse();
    }

    @Test
    void everyTopicOfStagecoachAndOfItsStreamsHasThreeReplicasAndMinInsyncReplicasTwo() throws Exception {
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            List<String> ours = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith("stagecoach.") || t.startsWith("stagecoach-scheduler-")).sorted().toList();
            assertThat(ours).contains("stagecoach.commands.default").anyMatch(t -> t.endsWith("-changelog"));
            var described = admin.describeTopics(ours).allTopicNames().get();
            assertThat(described.values()).allSatisfy(t -> assertThat(t.partitions().get(0).replicas()).as(t.name()).hasSize(3));
            List<ConfigResource> resources = ours.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            // Set on the topic itself, not the cluster's default of 2 inherited.
            admin.describeConfigs(resources).all().get().forEach((resource, config) -> {
                assertThat(config.get("min.insync.replicas").value()).as(resource.name()).isEqualTo("2");
                assertThat(config.get("min.insync.replicas").source()).as(resource.name())
                        .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            });
        }
    }

    private static int transactionCoordinator() throws Exception {
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            return admin.describeTopics(List.of("__transaction_state")).allTopicNames().get()
                    .get("__transaction_state").partitions().get(0).leader().id();
        }
    }

    private static JsonNode readRun(String runId) {
        try {
            return api.run(runId);
        } catch (ApiClient.ApiException e) {
            return null;
        }
    }
}
