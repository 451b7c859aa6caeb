package dev.stagecoach.scheduler.triggers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.pipeline.CronSchedule;
import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.scheduler.SchedulerFixture;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Cron triggers against a real broker, ticked with instants of the test's choosing (the %test
 * profile turns the real ticks off): a day ahead, so no registration of the test is later.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = SchedulerFixture.TOPICS))
class CronTriggerTest {

    private static final Trigger.Cron EVERY_MINUTE = new Trigger.Cron(CronSchedule.parse("* * * * *"), Trigger.Cron.DEFAULT_ZONE);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    CronTriggers cron;

    @Test
    void eachFireTimeIsRequestedOnceWithARunIdOfItsOwn() {
        SchedulerFixture.awaitEngineReady();
        SchedulerFixture.register("""
                pipeline:
                  name: cron-test
                  triggers: [{cron: {schedule: "* * * * *"}}]
                  parameters:
                    target: {type: string, default: staging}
                  stages: [{name: report, run: ./report.sh}]
                """);
        Instant minute = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);

        cron.tick(minute.plusSeconds(30));
        cron.tick(minute.plusSeconds(30));
        cron.tick(minute.plusSeconds(45));
        cron.tick(minute.plusSeconds(60));

        String first = CronCalendar.Fire.runId("cron-test", EVERY_MINUTE, minute);
        String second = CronCalendar.Fire.runId("cron-test", EVERY_MINUTE, minute.plusSeconds(60));
        List<RunRequested> requested = requested();
        assertThat(requested).extracting(RunRequested::getRunId).containsExactlyInAnyOrder(first, second);
        assertThat(requested).extracting(RunRequested::getTrigger).containsOnly(TriggerType.CRON);
        assertThat(requested).extracting(RunRequested::getRequestedBy).containsOnly("cron:* * * * *");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/runs/" + second).then().statusCode(200)
                .body("requestedBy", equalTo("cron:* * * * *"))
                .body("parameters.target", equalTo("staging")));
        given().get("/api/runs/" + first).then().statusCode(200).body("status", equalTo("RUNNING"));

        SchedulerFixture.register("""
                pipeline:
                  name: cron-test
                  parameters:
                    target: {type: string, default: staging}
                  stages: [{name: report, run: ./report.sh}]
                """);
        cron.tick(minute.plusSeconds(120));
        assertThat(requested()).as("a removed cron trigger starts nothing").hasSize(2);
    }

    private List<RunRequested> requested() {
        return SchedulerFixture.requestedRuns(bootstrap, "cron-test");
    }
}
