package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggersTest {

    static final String ALL_KINDS = """
            pipeline:
              name: nightly-release
              parameters:
                version: {type: string, required: true}
                channel: {type: string, default: stable}
              triggers:
                - manual: true
                - cron: {schedule: "0 3 * * 1-5", timezone: Europe/Paris}
                - cron: {schedule: "*/30 * * * *"}
                - webhook:
                    secret_ref: RELEASE_WEBHOOK
                    params:
                      version: "${{ payload.release.tag_name }}"
                - event:
                    topic: deployments
                    filter: "event.type == 'build_finished' && event.branch == 'main'"
                - conditional: {metric: queue.depth, comparison: ">", threshold: 1000, for: 5m}
                - manual: {}
              stages:
                - {name: build, run: make}
            """;

    static PipelineDefinition load(String yaml) {
        LoadResult result = PipelineLoader.load(yaml, "triggers.yaml");
        assertThat(result.diagnostics()).isEmpty();
        return result.orThrow();
    }

    @Test
    void everyKindOfTriggerIsReadIntoTheModel() {
        // The required parameter has no default, so only the webhook, which sets it, could start runs;
        // give it a default for the other kinds.
        PipelineDefinition definition = load(ALL_KINDS.replace("{type: string, required: true}", "{type: string, default: 0.0.0}"));

        assertThat(definition.triggers()).containsExactly(
                Trigger.MANUAL,
                new Trigger.Cron(CronSchedule.parse("0 3 * * 1-5"), ZoneId.of("Europe/Paris")),
                new Trigger.Cron(CronSchedule.parse("*/30 * * * *"), ZoneId.of("UTC")),
                new Trigger.Webhook("RELEASE_WEBHOOK", Map.of("version", "${{ payload.release.tag_name }}")),
                new Trigger.Event("deployments", "event.type == 'build_finished' && event.branch == 'main'"),
                new Trigger.Conditional("queue.depth", ">", 1000, Duration.ofMinutes(5)),
                Trigger.MANUAL);
    }

    @Test
    void aPipelineWithoutTriggersIsStartedByHand() {
        PipelineDefinition definition = load("""
                pipeline:
                  name: plain
                  stages:
                    - {name: build, run: make}
                """);

        assertThat(definition.triggers()).containsExactly(Trigger.MANUAL);
    }

    @Test
    void aWebhookThatSetsTheRequiredParameterMayStartRuns() {
        PipelineDefinition definition = load("""
                pipeline:
                  name: hooked
                  parameters:
                    version: {type: string, required: true}
                  triggers:
                    - webhook: {secret_ref: HOOK, params: {version: "v${{ payload.tag }}"}}
                  stages:
                    - {name: build, run: make}
                """);

        assertThat(definition.triggers()).containsExactly(new Trigger.Webhook("HOOK", Map.of("version", "v${{ payload.tag }}")));
    }

    @Test
    void triggersSurviveWriteThenLoad() {
        PipelineDefinition definition = load(ALL_KINDS.replace("{type: string, required: true}", "{type: string, default: 0.0.0}"));

        assertThat(PipelineLoader.load(PipelineWriter.write(definition), "written.yaml").orThrow()).isEqualTo(definition);
    }

    @Test
    void aCronTriggerFiresInItsOwnZone() {
        Trigger.Cron cron = new Trigger.Cron(CronSchedule.parse("0 3 * * *"), ZoneId.of("America/New_York"));

        assertThat(cron.nextAfter(Instant.parse("2025-07-01T00:00:00Z"))).isEqualTo(Instant.parse("2025-07-01T07:00:00Z"));
    }

    @Test
    void aConditionalTriggerComparesTheMetricWithItsThreshold() {
        assertThat(List.of(999.0, 1000.0, 1000.5)).map(new Trigger.Conditional("queue.depth", ">", 1000, Duration.ZERO)::holds)
                .containsExactly(false, false, true);
        assertThat(List.of(999.0, 1000.0, 1000.5)).map(new Trigger.Conditional("queue.depth", "<=", 1000, Duration.ZERO)::holds)
                .containsExactly(true, true, false);
        assertThat(new Trigger.Conditional("errors", "!=", 0, Duration.ZERO).holds(0)).isFalse();
    }

    @Test
    void thePlanListsTheTriggers() {
        String plan = PipelinePlan.of(load(ALL_KINDS.replace("{type: string, required: true}", "{type: string, default: 0.0.0}")),
                Map.of()).render();

        assertThat(plan).contains("triggers: manual; cron 0 3 * * 1-5 (Europe/Paris); cron */30 * * * * (UTC); webhook setting version;"
                + " event on deployments when event.type == 'build_finished' && event.branch == 'main';"
                + " when queue.depth > 1000.0 for 5m; manual\n");
    }
}
