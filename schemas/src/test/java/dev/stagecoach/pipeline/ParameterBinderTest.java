package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import dev.stagecoach.secrets.SealedParameters;
import dev.stagecoach.secrets.SecretKeyRing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParameterBinderTest {

    private static final String TOKEN = "tok_s3cr3t99";

    private static final PipelineDefinition DEPLOY = PipelineLoader.load("""
            pipeline:
              name: deploy
              parameters:
                version:
                  type: string
                  required: true
                  pattern: '\\d+\\.\\d+\\.\\d+'
                  description: The version to release
                environment:
                  type: enum
                  enum: [dev, staging, production]
                  default: staging
                replicas:
                  type: integer
                  min: 1
                  max: 10
                  default: 2
                soak:
                  type: duration
                  min: 1m
                  default: 5m
                dry_run:
                  type: boolean
                  default: false
                notes:
                  type: string
                api_token:
                  type: string
                  required: true
                  secret: true
                  pattern: 'tok_[a-z0-9]{8}'
                pin:
                  type: integer
                  secret: true
                  min: 1000
                tier:
                  type: enum
                  enum: [gold, silver]
                  secret: true
              stages:
                - name: deploy
                  run: ./deploy.sh
            """, "deploy.yaml").orThrow();

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("replica", "3");
        given.put("replicas", "two");
        given.put("environment", "stagin");
        given.put("version", "1.2");
        given.put("soak", "30s");

        InvalidParametersException e = catchThrowableOfType(InvalidParametersException.class,
                () -> ParameterBinder.bind(DEPLOY, given));

        assertThat(e.problems()).satisfiesExactly(
                unknown -> assertThat(unknown)
                        .startsWith("parameter \"replica\": not declared by pipeline \"deploy\" (did you mean \"replicas\"?); declared: ")
                        .contains("version", "environment", "replicas", "soak", "dry_run", "notes", "api_token", "pin", "tier"),
                pattern -> assertThat(pattern).isEqualTo("parameter \"version\": \"1.2\" does not match the pattern \\d+\\.\\d+\\.\\d+"),
                enumMiss -> assertThat(enumMiss).isEqualTo(
                        "parameter \"environment\": \"stagin\" is not one of dev, staging, production (did you mean \"staging\"?)"),
                integer -> assertThat(integer).isEqualTo("parameter \"replicas\": expected a whole number, got \"two\""),
                belowMin -> assertThat(belowMin).isEqualTo("parameter \"soak\": \"30s\" is below the minimum 1m"),
                missing -> assertThat(missing).isEqualTo("parameter \"api_token\": required, but no value was given"));
        assertThat(e).hasMessage(String.join("\n", e.problems()));
    }

    @Test
    void missingRequiredParameterShowsItsDescription() {
        assertThatThrownBy(() -> ParameterBinder.bind(DEPLOY, Map.of("api_token", TOKEN)))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessage("parameter \"version\": required, but no value was given (The version to release)");
    }

    @Test
    void durationTooLongForJavaIsAProblemNotACrash() {
        assertThatThrownBy(() -> ParameterBinder.bind(DEPLOY,
                Map.of("version", "1.0.0", "api_token", TOKEN, "soak", "9223372036854775807d")))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessage("parameter \"soak\": \"9223372036854775807d\" is too long a duration");
    }

    @Test
    void numbersAboveTheMaximumAreRefused() {
        assertThatThrownBy(() -> ParameterBinder.bind(DEPLOY, Map.of("version", "1.0.0", "api_token", TOKEN, "replicas", "11")))
                .hasMessage("parameter \"replicas\": \"11\" is above the maximum 10");
    }

    @Test
    void defaultsAreAppliedInDeclarationOrderAndUnsetOptionalParametersStayAbsent() {
        Map<String, String> values = ParameterBinder.bind(DEPLOY, Map.of("version", "1.4.2", "api_token", TOKEN));

        assertThat(values).containsExactly(
                entry("version", "1.4.2"),
                entry("environment", "staging"),
                entry("replicas", "2"),
                entry("soak", "5m"),
                entry("dry_run", "false"),
                entry("api_token", TOKEN));
    }

    @Test
    void givenValuesReplaceDefaults() {
        Map<String, String> values = ParameterBinder.bind(DEPLOY,
                Map.of("version", "1.4.2", "api_token", TOKEN, "environment", "production", "replicas", "10", "soak", "1h"));

        assertThat(values).contains(entry("environment", "production"), entry("replicas", "10"), entry("soak", "1h"));
    }

    @Test
    void secretValuesNeverAppearInAnyProblem() {
        String badToken = "hunter2-do-not-print";
        String badPin = "12ab-do-not-print";
        String badTier = "platinum-do-not-print";

        InvalidParametersException e = catchThrowableOfType(InvalidParametersException.class, () -> ParameterBinder.bind(DEPLOY,
                Map.of("version", "1.0.0", "api_token", badToken, "pin", badPin, "tier", badTier)));
        InvalidParametersException belowMin = catchThrowableOfType(InvalidParametersException.class, () -> ParameterBinder.bind(DEPLOY,
                Map.of("version", "1.0.0", "api_token", TOKEN, "pin", "42")));

        assertThat(e.problems()).hasSize(3).allSatisfy(problem ->
                assertThat(problem).doesNotContain(badToken, badPin, badTier, "hunter2", "12ab", "platinum"));
        assertThat(e.getMessage()).doesNotContain(badToken, badPin, badTier);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("parameter \"api_token\": the given value does not match"));
        assertThat(belowMin.problems()).singleElement().asString()
                .isEqualTo("parameter \"pin\": the given value is below the minimum 1000");
    }

    @Test
    void secretDefaultThatBreaksItsConstraintsIsNotPrintedByTheLoader() {
        LoadResult result = PipelineLoader.load("""
                pipeline:
                  name: leaky
                  parameters:
                    password:
                      secret: true
                      pattern: '[A-Z]{12}'
                      default: correct-horse-battery
                  stages:
                    - name: use
                      run: ./use.sh
                """, "leaky.yaml");

        // A secret may not have a default at all, and the one written is not printed while saying so.
        assertThat(result.errors()).hasSize(2).allSatisfy(error -> assertThat(error.toString())
                .contains("pipeline.parameters.password.default").doesNotContain("correct-horse-battery"));
        assertThat(result.errors().get(0).message()).startsWith("a secret parameter has no default");
    }

    @Test
    void maskedHidesEverySecretAndNothingElse() {
        Map<String, String> values = ParameterBinder.bind(DEPLOY, Map.of("version", "1.4.2", "api_token", TOKEN, "pin", "1234"));

        Map<String, String> masked = ParameterBinder.masked(DEPLOY, values);

        assertThat(masked).containsExactly(
                entry("version", "1.4.2"),
                entry("environment", "staging"),
                entry("replicas", "2"),
                entry("soak", "5m"),
                entry("dry_run", "false"),
                entry("api_token", Secrets.MASK),
                entry("pin", Secrets.MASK));
        assertThat(masked.toString()).doesNotContain(TOKEN, "1234");
        assertThat(values).containsEntry("api_token", TOKEN);
    }

    @Test
    void theEngineKeepsSealedSecretsSealedAndRefusesOnesThatArriveInClear() {
        SecretKeyRing ring = SecretKeyRing.of(Optional.of(SecretKeyRing.generate("k1")), Optional.empty());
        String sealedToken = SealedParameters.seal(ring, "run-1", "api_token", TOKEN);
        String sealedPin = SealedParameters.seal(ring, "run-1", "pin", "1234");

        Map<String, String> values = ParameterBinder.bindSealed(DEPLOY, Map.of("version", "1.4.2", "api_token", sealedToken, "pin", sealedPin));
        assertThat(values).containsEntry("api_token", sealedToken).containsEntry("pin", sealedPin).containsEntry("replicas", "2");
        assertThat(values.toString()).doesNotContain(TOKEN, "1234");

        InvalidParametersException clear = catchThrowableOfType(
                () -> ParameterBinder.bindSealed(DEPLOY, Map.of("version", "1.4.2", "api_token", TOKEN)), InvalidParametersException.class);
        assertThat(clear.problems()).containsExactly("parameter \"api_token\": secret, but its value is not sealed; start runs through the "
                + "scheduler's API, a webhook or a trigger, which seal secret parameters");
        assertThat(clear.getMessage()).doesNotContain(TOKEN);
    }

    @Test
    void pipelineWithoutParametersSaysSoForAnUnknownOne() {
        PipelineDefinition bare = PipelineLoader.load("""
                pipeline:
                  name: bare
                  stages:
                    - name: only
                      run: "true"
                """, "bare.yaml").orThrow();

        assertThatThrownBy(() -> ParameterBinder.bind(bare, Map.of("version", "1")))
                .hasMessage("parameter \"version\": not declared by pipeline \"bare\"; it declares no parameters");
        assertThat(ParameterBinder.bind(bare, Map.of())).isEmpty();
        assertThat(ParameterBinder.masked(bare, Map.of())).isEmpty();
    }
}
