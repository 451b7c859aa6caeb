package dev.stagecoach.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.serde.AvroSerde;
import dev.stagecoach.scheduler.SchedulerFixture;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A pipeline that names other worker pools than default: registration creates their commands topics. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = SchedulerFixture.TOPICS))
class PipelinePoolsTest {

    @BeforeEach
    void engineIsRunning() {
        SchedulerFixture.awaitEngineReady();
    }

    @Test
    void registrationCreatesTheCommandsTopicOfEachPoolAndARunDispatchesToIt() throws Exception {
        SchedulerFixture.register("""
                pipeline:
                  name: pools-test
                  stages:
                    - {name: train, pool: gpu-pools-test, run: echo train}
                  finally:
                    - {name: tidy, pool: cleanup-pools-test, run: echo tidy}
                """);
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.listTopics().names().get())
                    .contains("stagecoach.commands.gpu-pools-test", "stagecoach.commands.cleanup-pools-test");
        }

        given().contentType(ContentType.JSON).body(Map.of("parameters", Map.of()))
                .post("/api/pipelines/pools-test/runs").then().statusCode(202);

        AvroSerde<StageCommand> serde = AvroSerde.of(StageCommand.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> SchedulerFixture.readToEnd(bootstrap, "stagecoach.commands.gpu-pools-test")
                .stream().map(r -> serde.deserialize(r.topic(), r.value())).anyMatch(c -> c.getStage().equals("train")));
    }

    // The loader may refuse such a name first (as "not a valid pool name"); either way the
    // answer is 400, names the pool, and nothing is registered.
    @Test
    void poolWhoseNameMakesNoTopicNameIsRefusedNamingIt() {
        given().contentType("application/yaml").body("""
                pipeline:
                  name: bad-pool-test
                  stages:
                    - {name: train, pool: "gpu/large", run: echo train}
                """.getBytes(StandardCharsets.UTF_8))
                .post("/api/pipelines").then().statusCode(400).body(containsString("gpu/large"));
        given().get("/api/pipelines/bad-pool-test").then().statusCode(404);
    }

    @Test
    void kafkaStreamsInternalTopicsAreLaidOutByTheSameSettings() {
        var config = ConfigProvider.getConfig();

        assertThat(config.getValue("kafka-streams.replication.factor", String.class))
                .isEqualTo(config.getValue("stagecoach.topics.replication-factor", String.class)).isEqualTo("1");
        assertThat(config.getValue("kafka-streams.topic.min.insync.replicas", String.class))
                .isEqualTo(config.getValue("stagecoach.topics.min-insync-replicas", String.class));
    }
}
