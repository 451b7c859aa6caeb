package dev.stagecoach.scheduler.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.pipeline.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading JSON for triggers: a webhook's params from its body, an event's filter over a record's value. */
class PayloadTriggersTest {

    @Test
    void webhookParamsAreRenderedFromTheBody() throws IOException {
        Trigger.Webhook webhook = new Trigger.Webhook("HOOK", Map.of(
                "version", "${{ payload.release.tag_name }}",
                "commit", "${{ payload.commits.0.id }}",
                "label", "release ${{ payload.release.name }} (${{ payload.release.draft }})"));
        PayloadParameters derived = PayloadParameters.derive(webhook, json("""
                {"release": {"tag_name": "1.4.2", "name": "Spring", "draft": false}, "commits": [{"id": "abc123"}]}"""));
        assertThat(derived.values()).containsOnly(
                Map.entry("version", "1.4.2"), Map.entry("commit", "abc123"), Map.entry("label", "release Spring (false)"));
        assertThat(derived.missing()).isEmpty();
    }

    @Test
    void aParamWhoseBodyPathsAreAllMissingIsLeftToItsDefaultAndNamed() throws IOException {
        Trigger.Webhook webhook = new Trigger.Webhook("HOOK", Map.of("version", "${{ payload.release.tag_name }}",
                "constant", "${{ 'fixed' }}"));
        PayloadParameters derived = PayloadParameters.derive(webhook, json("{\"action\": \"created\"}"));
        assertThat(derived.values()).containsOnly(Map.entry("constant", "fixed"));
        assertThat(derived.missing()).containsExactly("parameter \"version\": the body has no payload.release.tag_name");
    }

    @Test
    void bodiesThatAreNotJsonAreRefusedWithWhere() {
        assertThatThrownBy(() -> JsonDocuments.parse("{\"a\": 1,}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JsonDocuments.parse("{} trailing".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JsonDocuments.parse(new byte[0])).hasMessage("it is empty");
        try {
            JsonDocuments.parse("not json".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            assertThat(JsonDocuments.problem(e)).contains("line 1, column");
        }
    }

    @Test
    void eventFilterChoosesThePipelinesARecordStartsEachOnce() throws IOException {
        RegisteredPipelines.Registered smoke = registered("smoke", """
                pipeline:
                  name: smoke
                  triggers:
                    - event: {topic: deployments, filter: "event.type == 'deploy_finished' && event.environment == 'staging'"}
                    - event: {topic: deployments, filter: "event.replicas >= 3"}
                  stages: [{name: check, run: ./check.sh}]
                """);
        RegisteredPipelines.Registered audit = registered("audit", """
                pipeline:
                  name: audit
                  triggers: [{event: {topic: deployments}}, {event: {topic: logins}}]
                  stages: [{name: log, run: ./log.sh}]
                """);
        EventRoutes routes = EventRoutes.of(List.of(smoke, audit));

        assertThat(routes.topics()).containsExactlyInAnyOrder("deployments", "logins");
        assertThat(routes.matching("deployments", json("{\"type\": \"deploy_finished\", \"environment\": \"staging\", \"replicas\": 5}")))
                .extracting(RegisteredPipelines.Registered::name).containsExactly("smoke", "audit");
        assertThat(routes.matching("deployments", json("{\"type\": \"deploy_finished\", \"environment\": \"production\", \"replicas\": 1}")))
                .extracting(RegisteredPipelines.Registered::name).containsExactly("audit");
        assertThat(routes.matching("deployments", json("{\"type\": \"deploy_started\"}")))
                .as("no replicas is not 3 or more").extracting(RegisteredPipelines.Registered::name).containsExactly("audit");
        assertThat(routes.matching("logins", json("[1, 2]"))).extracting(RegisteredPipelines.Registered::name).containsExactly("audit");
        assertThat(routes.matching("elsewhere", json("{}"))).isEmpty();
        assertThat(routes.watchedSince("deployments")).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
    }

    @Test
    void eventRunIdsDifferByRecordPosition() {
        assertThat(EventRoutes.runId("p", "t", 0, 7)).isEqualTo(EventRoutes.runId("p", "t", 0, 7))
                .isNotEqualTo(EventRoutes.runId("p", "t", 1, 7))
                .isNotEqualTo(EventRoutes.runId("p", "t", 0, 8))
                .isNotEqualTo(EventRoutes.runId("q", "t", 0, 7));
    }

    private static JsonNode json(String text) throws IOException {
        return JsonDocuments.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static RegisteredPipelines.Registered registered(String name, String yaml) {
        return new RegisteredPipelines.Registered(name, 1, Instant.parse("2026-03-02T10:00:00Z"),
                PipelineLoader.load(yaml, name + ".yaml").orThrow());
    }
}
