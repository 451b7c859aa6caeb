package dev.stagecoach.cli;

import static dev.stagecoach.cli.EndToEnd.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.events.AuditAction;
import dev.stagecoach.events.AuditEntry;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens limited to pipelines and the audit trail, over the packaged services with auth on:
 * an operator token limited to {@code release-*} is refused everything about another pipeline
 * and sees only its own in lists, and every privileged action it takes is recorded once; it
 * reads the audit trail of its own pipelines only, and a viewer's token reads none.
 */
class AccessAndAuditEndToEndIT {

    private static final String RELEASE_TOKEN = "release-operator-token-for-the-audit-test";
    private static final String LIMITED = "releasebot";
    /** Registering takes an admin: this one is limited to the same pipelines. */
    private static final String RELEASE_ADMIN_TOKEN = "release-admin-token-for-the-audit-test";
    private static final String LIMITED_ADMIN = "releaseadmin";
    private static final String VIEWER_TOKEN = "viewer-token-for-the-audit-test";
    private static final String VIEWER = "vera";
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String GATED = """
              stages:
                - {name: build, run: echo built}
                - name: gate
                  needs: [build]
                  manual_approval: {timeout: 10m}
                  run: sleep 120
            """;

    static Path dir;
    static EmbeddedKafkaBroker broker;
    static LocalStack stack;
    static ApiClient admin;
    static ApiClient limited;
    static ApiClient limitedAdmin;

    @BeforeAll
    static void startStack() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-audit-" + System.currentTimeMillis())).toAbsolutePath();
        broker = EndToEnd.startBroker(dir);
        stack = EndToEnd.stackOn(broker, dir)
                .withToken(LIMITED, "operator:" + RELEASE_TOKEN)
                .withTokenScope(LIMITED, "release-*")
                .withToken(LIMITED_ADMIN, "admin:" + RELEASE_ADMIN_TOKEN)
                .withTokenScope(LIMITED_ADMIN, "release-*", "deploy-?")
                .withToken(VIEWER, "viewer:" + VIEWER_TOKEN)
                .startServices(broker.bootstrapServers());
        admin = new ApiClient(stack.schedulerUrl(), stack.token());
        limited = new ApiClient(stack.schedulerUrl(), RELEASE_TOKEN);
        limitedAdmin = new ApiClient(stack.schedulerUrl(), RELEASE_ADMIN_TOKEN);
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
    void aTokenLimitedToReleasePipelinesGets403OnAnotherPipelineAndEachPrivilegedActionAppearsOnceOnTheAuditTopic() throws Exception {
        String nightlyYaml = "pipeline:\n  name: nightly-build\n" + GATED;
        admin.register(nightlyYaml, "nightly-build.yaml");
        String nightlyRun = admin.start("nightly-build", Map.of(), "admin").path("runId").asText();
        awaitStage(nightlyRun, "gate", "AWAITING_APPROVAL");
        Awaitility.await().atMost(WITHIN).until(() -> admin.runs(Map.of("pipeline", "nightly-build")).path("runs").size() == 1);

        assertRefused(LIMITED_ADMIN, "release-*, deploy-?", () -> limitedAdmin.register(nightlyYaml, "nightly-build.yaml"));
        assertRefused(LIMITED_ADMIN, "release-*, deploy-?", () -> limitedAdmin.run(nightlyRun));
        assertRefused(() -> limited.start("nightly-build", Map.of(), LIMITED));
        assertRefused(() -> limited.run(nightlyRun));
        assertRefused(() -> limited.report(nightlyRun));
        assertRefused(() -> limited.logs(nightlyRun, null, null));
        assertRefused(() -> limited.control(nightlyRun, "cancel", null, null, null));
        assertRefused(() -> limited.control(nightlyRun, "approve", "gate", null, null));

        assertThat(limitedAdmin.register("pipeline:\n  name: release-web\n" + GATED, "release-web.yaml").path("revision").asInt()).isEqualTo(1);
        String runId = limited.start("release-web", Map.of(), LIMITED).path("runId").asText();
        awaitStage(runId, "gate", "AWAITING_APPROVAL");
        limited.control(runId, "reject", "gate", null, "not today");
        assertThat(EndToEnd.awaitEnd(limited, runId, WITHIN).path("status").asText()).isEqualTo("FAILED");
        limited.control(runId, "resume", null, null, null);
        awaitStage(runId, "gate", "AWAITING_APPROVAL");
        limited.control(runId, "approve", "gate", null, "ship it");
        awaitStage(runId, "gate", "RUNNING");
        limited.control(runId, "cancel", null, null, "changed my mind");
        assertThat(EndToEnd.awaitEnd(limited, runId, WITHIN).path("status").asText()).isEqualTo("CANCELLED");

        assertThat(names(limited.pipelines(), "name")).containsExactly("release-web");
        assertThat(names(limited.runs(Map.of()).path("runs"), "pipeline")).containsOnly("release-web");
        assertThat(names(admin.runs(Map.of()).path("runs"), "pipeline")).contains("release-web", "nightly-build");

        Topic<AuditEntry> audit = new Topics(Topics.DEFAULT_PREFIX).audit();
        List<AuditEntry> entries = EndToEnd.committedRecords(broker.clientProperties(), audit.name()).stream()
                .map(record -> audit.valueSerde().deserializer().deserialize(audit.name(), record.value())).toList();
        assertThat(entries).filteredOn(e -> LIMITED_ADMIN.equals(e.getToken())).singleElement().satisfies(entry -> {
            assertThat(entry.getAction()).isEqualTo(AuditAction.REGISTER);
            assertThat(entry.getRole()).isEqualTo("admin");
            assertThat(entry.getBy()).isEqualTo(LIMITED_ADMIN);
            assertThat(entry.getPipeline()).isEqualTo("release-web");
            assertThat(entry.getRunId()).isNull();
            assertThat(entry.getDetail()).startsWith("revision 1, sha256 ");
        });
        List<AuditEntry> byLimited = entries.stream().filter(e -> LIMITED.equals(e.getToken())).toList();
        assertThat(byLimited).extracting(AuditEntry::getAction).containsExactlyInAnyOrder(AuditAction.START,
                AuditAction.REJECT, AuditAction.RESUME, AuditAction.APPROVE, AuditAction.CANCEL);
        assertThat(byLimited).allSatisfy(entry -> {
            assertThat(entry.getRole()).isEqualTo("operator");
            assertThat(entry.getBy()).isEqualTo(LIMITED);
            assertThat(entry.getPipeline()).isEqualTo("release-web");
            assertThat(entry.getRunId()).isEqualTo(runId);
        });
        assertThat(byLimited).filteredOn(e -> e.getAction() == AuditAction.APPROVE).singleElement()
                .satisfies(entry -> assertThat(entry.getStage()).isEqualTo("gate"))
                .satisfies(entry -> assertThat(entry.getComment()).isEqualTo("ship it"));
        assertThat(entries).filteredOn(e -> e.getPipeline().equals("nightly-build")).extracting(AuditEntry::getToken, AuditEntry::getAction)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("admin", AuditAction.REGISTER),
                        org.assertj.core.groups.Tuple.tuple("admin", AuditAction.START));

        JsonNode shown = Awaitility.await().atMost(WITHIN).until(() -> {
            EndToEnd.CliRun json = cli("audit", "--pipeline", "release-web", "--output", "json",
                    "--server", stack.schedulerUrl(), "--token", stack.token());
            return json.exitCode() == 0 ? new ObjectMapper().readTree(json.output().substring(json.output().indexOf('{'))) : null;
        }, answer -> answer != null && answer.path("entries").size() == 6);
        assertThat(names(shown.path("entries"), "action")).containsExactly("CANCEL", "APPROVE", "RESUME", "REJECT", "START", "REGISTER");
        assertThat(names(shown.path("entries"), "token")).containsExactly(LIMITED, LIMITED, LIMITED, LIMITED, LIMITED, LIMITED_ADMIN);

        EndToEnd.CliRun table = cli("audit", "--since", "1h", "--server", stack.schedulerUrl(), "--token", stack.token());
        assertThat(table.output()).containsPattern("APPROVE\\s+release-web\\s+" + LIMITED + " \\(operator\\)\\s+" + LIMITED
                + "\\s+" + runId + "\\s+stage gate; ship it");

        EndToEnd.CliRun operator = cli("audit", "--output", "json", "--server", stack.schedulerUrl(), "--token", RELEASE_TOKEN);
        assertThat(operator.exitCode()).as(operator.output()).isZero();
        JsonNode ownTrail = new ObjectMapper().readTree(operator.output().substring(operator.output().indexOf('{')));
        assertThat(names(ownTrail.path("entries"), "pipeline")).as("an operator limited to release-* reads their trail only")
                .hasSize(6).containsOnly("release-web");
        EndToEnd.CliRun outOfScope = cli("audit", "--pipeline", "nightly-build", "--server", stack.schedulerUrl(), "--token", RELEASE_TOKEN);
        assertThat(outOfScope.exitCode()).isEqualTo(Stagecoach.FAILED);
        assertThat(outOfScope.output()).contains("token \"" + LIMITED + "\" is limited to pipelines release-*; pipeline \"nightly-build\" is not among them");
        EndToEnd.CliRun viewer = cli("audit", "--server", stack.schedulerUrl(), "--token", VIEWER_TOKEN);
        assertThat(viewer.exitCode()).isEqualTo(Stagecoach.FAILED);
        assertThat(viewer.output()).contains("token \"" + VIEWER + "\" has role viewer", "needs operator");
    }

    private static void assertRefused(ThrowingCallable call) {
        assertRefused(LIMITED, "release-*", call);
    }

    private static void assertRefused(String token, String scope, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiClient.ApiException.class, e -> {
            assertThat(e.status).isEqualTo(403);
            assertThat(e.getMessage()).isEqualTo("token \"" + token + "\" is limited to pipelines " + scope
                    + "; pipeline \"nightly-build\" is not among them");
        });
    }

    private static void awaitStage(String runId, String stage, String status) {
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> EndToEnd.stage(admin.run(runId), stage).path("status").asText(), status::equals);
    }

    private static List<String> names(JsonNode items, String field) {
        return StreamSupport.stream(items.spliterator(), false).map(item -> item.path(field).asText()).toList();
    }
}
