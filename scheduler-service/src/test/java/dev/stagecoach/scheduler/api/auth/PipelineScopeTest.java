package dev.stagecoach.scheduler.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineScopeTest {

    @Test
    void starMatchesAnyRunOfCharactersAndQuestionMarkExactlyOne() {
        PipelineScope scope = PipelineScope.parse("release-*, deploy-?");

        assertThat(scope.covers("release-web")).isTrue();
        assertThat(scope.covers("release-")).isTrue();
        assertThat(scope.covers("deploy-a")).isTrue();
        assertThat(scope.covers("deploy-ab")).isFalse();
        assertThat(scope.covers("nightly-build")).isFalse();
        assertThat(scope.covers("pre-release-web")).isFalse();
        assertThat(scope.describe()).isEqualTo("release-*, deploy-?");
    }

    @Test
    void otherCharactersOfAGlobAreLiteral() {
        PipelineScope scope = PipelineScope.parse("app.v1+[x]");

        assertThat(scope.covers("app.v1+[x]")).isTrue();
        assertThat(scope.covers("appXv1+x")).isFalse();
    }

    @Test
    void noScopeCoversEveryPipeline() {
        assertThat(PipelineScope.EVERY_PIPELINE.covers("nightly-build")).isTrue();
        assertThat(PipelineScope.EVERY_PIPELINE.describe()).isEqualTo("every pipeline");
    }

    @Test
    void anEmptyPatternIsRefused() {
        assertThatThrownBy(() -> PipelineScope.parse("release-*,,deploy-*"))
                .hasMessageStartingWith("\"release-*,,deploy-*\" has an empty pattern");
        assertThatThrownBy(() -> PipelineScope.parse(" ")).hasMessageContaining("has an empty pattern");
    }

    @Test
    void aScopedTokenReachesOnlyItsPipelinesAndTheRefusalNamesTokenScopeAndPipeline() {
        ApiTokens tokens = ApiTokens.parse(
                Map.of("release-ops", "operator:0123456789abcdef-rel", "ci", "operator:0123456789abcdef-ci"),
                Map.of("release-ops", "release-*"));
        Caller limited = tokens.lookUp("0123456789abcdef-rel").orElseThrow();
        Caller unlimited = tokens.lookUp("0123456789abcdef-ci").orElseThrow();

        assertThat(limited.reaches("release-web")).isTrue();
        assertThat(limited.reaches("nightly-build")).isFalse();
        assertThat(unlimited.reaches("nightly-build")).isTrue();
        assertThatThrownBy(() -> limited.requireReach("nightly-build")).isInstanceOf(Caller.OutOfScopeException.class)
                .hasMessage("token \"release-ops\" is limited to pipelines release-*; pipeline \"nightly-build\" is not among them");
    }

    @Test
    void aScopeOfNoTokenOrWithAnEmptyPatternStopsTheStartNamingTheKey() {
        Map<String, String> tokens = Map.of("ci", "operator:0123456789abcdef-ci");

        assertThatThrownBy(() -> ApiTokens.parse(tokens, Map.of("cii", "release-*")))
                .hasMessage("stagecoach.auth.scopes.cii: there is no token named \"cii\"; tokens are ci");
        assertThatThrownBy(() -> ApiTokens.parse(tokens, Map.of("ci", "release-*,")))
                .hasMessageStartingWith("stagecoach.auth.scopes.ci: \"release-*,\" has an empty pattern");
    }
}
