package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.stagecoach.pipeline.NotificationTarget.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineLoaderTest {

    private static PipelineDefinition load(String yaml) {
        LoadResult result = PipelineLoader.load(yaml, "test.yaml");
        assertThat(result.diagnostics()).as("diagnostics").isEmpty();
        return result.orThrow();
    }

    @Test
    void releaseExampleLoadsWithoutAnyDiagnostic() throws Exception {
        String yaml = Files.readString(Path.of("../examples/release.yaml"));

        LoadResult result = PipelineLoader.load(yaml, "release.yaml");

        assertThat(result.diagnostics()).isEmpty();
        PipelineDefinition release = result.orThrow();
        assertThat(release.name()).isEqualTo("release");
        assertThat(release.version()).isEqualTo("1.0.0");
        assertThat(release.type()).isEqualTo(PipelineType.SEQUENTIAL);
        assertThat(release.options().parallelWorkers()).isEqualTo(2);
        assertThat(release.options().timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(release.options().retryPolicy()).isEqualTo(new RetryPolicy(
                2, RetryPolicy.Backoff.EXPONENTIAL, Duration.ofSeconds(1), RetryPolicy.DEFAULT_MAX_DELAY));
        assertThat(release.parameters()).extracting(ParameterSpec::name).containsExactly("version", "environment", "greeting");
        assertThat(release.parameter("version")).hasValueSatisfying(p -> {
            assertThat(p.required()).isTrue();
            assertThat(p.pattern()).isEqualTo("\\d+\\.\\d+\\.\\d+");
        });
        assertThat(release.parameter("environment")).hasValueSatisfying(p -> {
            assertThat(p.type()).isEqualTo(ParameterType.ENUM);
            assertThat(p.enumValues()).containsExactly("dev", "staging", "production");
            assertThat(p.defaultValue()).isEqualTo("staging");
        });
        assertThat(release.effectiveNeeds()).containsExactly(
                entry("validate", List.of()),
                entry("build", List.of("validate")),
                entry("test", List.of("build")),
                entry("deploy", List.of("test")));
        assertThat(release.stages()).allSatisfy(stage -> {
            assertThat(stage.kind()).isEqualTo("shell");
            assertThat(stage.run()).isNotBlank();
        });
        assertThat(release.stage("validate")).map(StageSpec::timeout).hasValue(Duration.ofMinutes(1));
    }

    @Test
    void minimalPipelineGetsTheDocumentedDefaults() {
        PipelineDefinition definition = load("""
                pipeline:
                  name: minimal
                  stages:
                    - name: only
                      run: echo hi
                """);

        assertThat(definition.version()).isEqualTo("0.0.0");
        assertThat(definition.description()).isEmpty();
        assertThat(definition.type()).isEqualTo(PipelineType.SEQUENTIAL);
        assertThat(definition.parameters()).isEmpty();
        assertThat(definition.options()).isEqualTo(Options.defaults());
        assertThat(definition.options().parallelWorkers()).isEqualTo(4);
        assertThat(definition.options().timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(definition.options().retryPolicy()).isEqualTo(RetryPolicy.NONE);
        assertThat(definition.notifications()).isEmpty();
        StageSpec only = definition.stages().get(0);
        assertThat(only.pool()).isEqualTo("default");
        assertThat(only.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(only.critical()).isTrue();
        assertThat(only.env()).isEmpty();
        assertThat(only.retry()).isNull();
        assertThat(definition.retryPolicyOf(only)).isEqualTo(RetryPolicy.NONE);
    }

    @Test
    void sequentialStageWithoutNeedsWaitsForTheStageDeclaredBeforeIt() {
        PipelineDefinition definition = load("""
                pipeline:
                  name: seq
                  stages:
                    - name: a
                      run: "true"
                    - name: b
                      run: "true"
                    - name: c
                      needs: [a]
                      run: "true"
                    - name: d
                      run: "true"
                """);

        assertThat(definition.effectiveNeeds()).containsExactly(
                entry("a", List.of()),
                entry("b", List.of("a")),
                entry("c", List.of("a")),
                entry("d", List.of("c")));
    }

    @Test
    void parallelAndHybridStagesWaitOnlyForTheirExplicitNeeds() {
        for (String type : new String[] {"parallel", "hybrid", "Hybrid"}) {
            PipelineDefinition definition = load("""
                    pipeline:
                      name: fan-out
                      type: %s
                      stages:
                        - name: build
                          run: make
                        - name: unit
                          needs: build
                          run: make unit
                        - name: lint
                          run: make lint
                        - name: ship
                          needs: [unit, lint]
                          run: make ship
                    """.formatted(type));

            assertThat(definition.effectiveNeeds()).as(type).containsExactly(
                    entry("build", List.of()),
                    entry("unit", List.of("build")),
                    entry("lint", List.of()),
                    entry("ship", List.of("unit", "lint")));
        }
    }

    @Test
    void pipelineRetryPolicyFillsUnsetKeysAndAStageRetryOverridesIt() {
        PipelineDefinition definition = load("""
                pipeline:
                  name: flaky
                  options:
                    parallel_workers: 16
                    timeout: 2h
                    retry_policy:
                      max_attempts: 5
                  stages:
                    - name: fetch
                      run: curl -f https://example.com
                    - name: upload
                      run: ./upload.sh
                      retry:
                        max_attempts: 4
                        backoff: linear
                        initial_delay: 500ms
                        max_delay: 2s
                """);

        assertThat(definition.options()).isEqualTo(new Options(16, Duration.ofHours(2), new RetryPolicy(
                5, RetryPolicy.Backoff.EXPONENTIAL, RetryPolicy.DEFAULT_INITIAL_DELAY, RetryPolicy.DEFAULT_MAX_DELAY)));
        assertThat(definition.retryPolicyOf(definition.stage("fetch").orElseThrow()))
                .isEqualTo(definition.options().retryPolicy());
        assertThat(definition.retryPolicyOf(definition.stage("upload").orElseThrow()))
                .isEqualTo(new RetryPolicy(4, RetryPolicy.Backoff.LINEAR, Duration.ofMillis(500), Duration.ofSeconds(2)));
    }

    @Test
    void emptyRetryPolicyMeansThreeExponentialAttempts() {
        PipelineDefinition definition = load("""
                pipeline:
                  name: flaky
                  options:
                    retry_policy: {}
                  stages:
                    - name: fetch
                      run: curl -f https://example.com
                """);

        assertThat(definition.options().retryPolicy()).isEqualTo(new RetryPolicy(
                3, RetryPolicy.Backoff.EXPONENTIAL, Duration.ofSeconds(5), Duration.ofMinutes(10)));
    }

    @Test
    void notificationsKeepEveryTargetPerEventInOrder() {
        PipelineDefinition definition = load("""
                pipeline:
                  name: notified
                  stages:
                    - name: deploy
                      run: ./deploy.sh
                  notifications:
                    on_success:
                      - slack: "#deployments"
                    on_failure:
                      - email: oncall@example.com
                      - pagerduty: critical
                      - webhook: https://hooks.example.com/stagecoach
                    on_approval:
                      - email: release-managers@example.com
                """);

        assertThat(definition.notificationsFor(NotificationEvent.ON_SUCCESS))
                .containsExactly(new NotificationTarget(Channel.SLACK, "#deployments"));
        assertThat(definition.notificationsFor(NotificationEvent.ON_FAILURE)).containsExactly(
                new NotificationTarget(Channel.EMAIL, "oncall@example.com"),
                new NotificationTarget(Channel.PAGERDUTY, "critical"),
                new NotificationTarget(Channel.WEBHOOK, "https://hooks.example.com/stagecoach"));
        assertThat(definition.notificationsFor(NotificationEvent.ON_APPROVAL))
                .containsExactly(new NotificationTarget(Channel.EMAIL, "release-managers@example.com"));
        assertThat(definition.notificationsFor(NotificationEvent.ON_START)).isEmpty();
    }

    @Test
    void parametersOfEveryTypeKeepTheirDeclaration() {
        PipelineDefinition definition = load("""
                pipeline:
                  name: typed
                  parameters:
                    version:
                      type: string
                      required: true
                      pattern: '\\d+\\.\\d+\\.\\d+'
                      description: The version to release
                    replicas:
                      type: integer
                      min: 1
                      max: 10
                      default: 3
                    ratio:
                      type: number
                      default: 0.5
                    dry_run:
                      type: boolean
                      default: false
                    soak:
                      type: duration
                      min: 1m
                      max: 1h
                      default: 10m
                    region:
                      type: enum
                      enum: [eu-west-1, us-east-1]
                      default: eu-west-1
                    hosts:
                      type: list
                      default: [a.example.com, b.example.com]
                    token:
                      secret: true
                  stages:
                    - name: deploy
                      run: ./deploy.sh
                """);

        assertThat(definition.parameters()).extracting(ParameterSpec::name)
                .containsExactly("version", "replicas", "ratio", "dry_run", "soak", "region", "hosts", "token");
        assertThat(definition.parameter("version")).hasValue(new ParameterSpec("version", ParameterType.STRING, true,
                null, List.of(), null, null, "\\d+\\.\\d+\\.\\d+", "The version to release", false));
        assertThat(definition.parameter("replicas")).hasValue(new ParameterSpec("replicas", ParameterType.INTEGER, false,
                "3", List.of(), "1", "10", null, "", false));
        assertThat(definition.parameter("ratio")).map(ParameterSpec::type).hasValue(ParameterType.NUMBER);
        assertThat(definition.parameter("dry_run")).map(ParameterSpec::defaultValue).hasValue("false");
        assertThat(definition.parameter("soak")).hasValue(new ParameterSpec("soak", ParameterType.DURATION, false,
                "10m", List.of(), "1m", "1h", null, "", false));
        assertThat(definition.parameter("region")).map(ParameterSpec::enumValues).hasValue(List.of("eu-west-1", "us-east-1"));
        assertThat(definition.parameter("hosts")).map(ParameterSpec::defaultValue).hasValue("a.example.com,b.example.com");
        assertThat(definition.parameter("token")).hasValueSatisfying(p -> {
            assertThat(p.type()).isEqualTo(ParameterType.STRING);
            assertThat(p.secret()).isTrue();
            assertThat(p.required()).isFalse();
        });
    }

    @Test
    void stageSettingsAreReadAsWritten() {
        PipelineDefinition definition = load("""
                pipeline:
                  name: settings
                  type: parallel
                  stages:
                    - name: smoke
                      uses: http
                      with: {url: https://staging.example.com/health}
                      pool: gpu
                      timeout: 1h30m
                      critical: false
                      env:
                        TARGET: https://staging.example.com
                        RETRIES: 3
                    - name: gate
                      uses: noop
                """);

        StageSpec smoke = definition.stage("smoke").orElseThrow();
        assertThat(smoke.kind()).isEqualTo("http");
        assertThat(smoke.run()).isNull();
        assertThat(smoke.pool()).isEqualTo("gpu");
        assertThat(smoke.timeout()).isEqualTo(Duration.ofMinutes(90));
        assertThat(smoke.critical()).isFalse();
        assertThat(smoke.env()).containsOnly(entry("TARGET", "https://staging.example.com"), entry("RETRIES", "3"));
        assertThat(smoke.with()).containsOnly(entry("url", "https://staging.example.com/health"));
        assertThat(definition.stage("gate")).map(StageSpec::kind).hasValue("noop");
    }

    @Test
    void stageWithNothingToRunLoadsWithAWarningAndRunsAsNoop() {
        LoadResult result = PipelineLoader.load("""
                pipeline:
                  name: gated
                  stages:
                    - name: build
                      run: make
                    - name: gate
                """, "gated.yaml");

        assertThat(result.ok()).isTrue();
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).singleElement().hasToString(
                "gated.yaml:6:7 warning: pipeline.stages[1]: stage \"gate\" has nothing to run (no \"run\" or \"uses\"); it will succeed as a no-op");
        assertThat(result.orThrow().stage("gate")).map(StageSpec::kind).hasValue("noop");
    }

    @Test
    void unquotedSlackChannelIsReadAsAnEmptyTargetAndDropped() {
        LoadResult result = PipelineLoader.load("""
                pipeline:
                  name: notified
                  stages:
                    - name: deploy
                      run: ./deploy.sh
                  notifications:
                    on_success:
                      - slack: #deployments
                """, "notified.yaml");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(8);
            assertThat(w.path()).isEqualTo("pipeline.notifications.on_success[0].slack");
            assertThat(w.message()).contains("quote the value", "slack: \"#deployments\"");
        });
        assertThat(result.orThrow().notificationsFor(NotificationEvent.ON_SUCCESS)).isEmpty();
    }

    @Test
    void cycleInNeedsIsReportedWithItsPath() {
        LoadResult result = PipelineLoader.load("""
                pipeline:
                  name: loop
                  type: hybrid
                  stages:
                    - name: a
                      needs: [c]
                    - name: b
                      needs: [a]
                    - name: c
                      needs: [b]
                """, "loop.yaml");

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(6);
            assertThat(e.path()).isEqualTo("pipeline.stages[0].needs");
            assertThat(e.message()).endsWith("a -> c -> b -> a");
        });
    }

    @Test
    void explicitNeedsOfALaterStageCloseACycleWithTheSequentialOrder() {
        LoadResult result = PipelineLoader.load("""
                pipeline:
                  name: backwards
                  stages:
                    - name: deploy
                      needs: [build]
                      run: ./deploy.sh
                    - name: build
                      run: make
                """, "backwards.yaml");

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("pipeline.stages[0].needs");
            assertThat(e.message()).contains("deploy -> build -> deploy", "\"build\" does");
        });
    }

    @Test
    void diagnosticReadsLikeACompilerError() {
        assertThat(new Diagnostic(Diagnostic.Severity.ERROR, "p.yaml", 14, 7, "pipeline.stages[2].needs", "unknown stage"))
                .hasToString("p.yaml:14:7 pipeline.stages[2].needs: unknown stage");
        assertThat(new Diagnostic(Diagnostic.Severity.WARNING, "p.yaml", 3, 5, "pipeline.stages[0]", "odd"))
                .hasToString("p.yaml:3:5 warning: pipeline.stages[0]: odd");
    }
}
