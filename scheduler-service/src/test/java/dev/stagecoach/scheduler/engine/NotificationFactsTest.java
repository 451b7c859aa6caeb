package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.NotificationEvent;
import dev.stagecoach.pipeline.NotificationTarget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationFactsTest {

    static final String PAGED = """
            pipeline:
              name: paged
              stages:
                - {name: build, run: make}
                - {name: lint, run: make lint, critical: false}
                - {name: test, run: make test, needs: [build]}
              notifications:
                on_success: [{slack: "#deployments"}]
                on_failure: [{email: oncall@example.com}, {pagerduty: critical}]
            """;

    @Test
    void aFailureNamesTheCriticalStageThatFailedNotTheNonCriticalOne() {
        EngineDriver run = new EngineDriver(PAGED).start(Map.of())
                .started("build").succeeded("build").started("lint").failed("lint", 2).started("test").failed("test", 7);

        List<Effect.Notify> failure = run.notifications().stream().filter(n -> n.event() == NotificationEvent.ON_FAILURE).toList();
        assertThat(failure).hasSize(2).allSatisfy(n -> {
            assertThat(n.facts().failedStage()).isEqualTo("test");
            assertThat(n.facts().nonCriticalFailures()).containsExactly("lint");
        });
    }

    @Test
    void aSuccessWithAFailedNonCriticalStageIsAWarningAndResolvesThePagerDutyIncident() {
        EngineDriver run = new EngineDriver(PAGED).start(Map.of())
                .started("build").succeeded("build").started("lint").failed("lint", 2).started("test").succeeded("test");

        List<Effect.Notify> success = run.notifications().stream().filter(n -> n.event() == NotificationEvent.ON_SUCCESS).toList();
        assertThat(success).extracting(Effect.Notify::target).containsExactly(
                new NotificationTarget(NotificationTarget.Channel.SLACK, "#deployments"),
                new NotificationTarget(NotificationTarget.Channel.PAGERDUTY, "critical"));
        assertThat(success.get(0).subject()).endsWith("succeeded with warnings");
        assertThat(success.get(0).facts().nonCriticalFailures()).containsExactly("lint");
        assertThat(success.get(0).facts().failedStage()).isNull();
        assertThat(success).extracting(Effect.Notify::dedupeId).containsExactly("run-1:on_success:0", "run-1:on_success:resolve:1");
    }

    @Test
    void aCleanSuccessIsNoWarning() {
        EngineDriver run = new EngineDriver(PAGED).start(Map.of())
                .started("build").succeeded("build").started("lint").succeeded("lint").started("test").succeeded("test");

        Effect.Notify slack = run.notifications().stream().filter(n -> n.event() == NotificationEvent.ON_SUCCESS).findFirst().orElseThrow();
        assertThat(slack.subject()).endsWith("succeeded");
        assertThat(slack.facts().nonCriticalFailures()).isEmpty();
    }

    @Test
    void anApprovalNotificationNamesTheStageAndWhoMayApprove() {
        EngineDriver run = new EngineDriver(ApprovalResumeFinallyTest.GATED).start(Map.of()).started("build").succeeded("build");

        Effect.Notify approval = run.notifications().get(0);
        assertThat(approval.facts().approvalStage()).isEqualTo("deploy");
        assertThat(approval.facts().approvers()).containsExactly("alice", "bob");
    }
}
