package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.stagecoach.pipeline.expr.Interpolation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageInputsOutputsTest {

    static final String HANDOVER = """
            pipeline:
              name: handover
              type: hybrid
              parameters:
                version: {type: string, default: 1.4.2}
              stages:
                - name: build
                  run: echo "::output image=registry.example.com/app:$PARAM_VERSION"
                  outputs: [image, digest]
                  artifacts: [dist/*.tar.gz, "reports/**/*.xml"]
                - name: deploy
                  needs: [build]
                  env:
                    IMAGE: "${{ stages.build.outputs.image }}"
                    TOKEN: "${{ secrets.DEPLOY_TOKEN }}"
                  run: ./deploy.sh "$IMAGE"
                - name: announce
                  needs: [deploy]
                  uses: http
                  with:
                    url: "https://chat.example.com/hooks/${{ run.pipeline }}"
                    method: post
                    headers:
                      Content-Type: application/json
                      Authorization: "Bearer ${{ secrets.CHAT_TOKEN }}"
                    body: '{"text": "deployed ${{ stages.build.outputs.image }} in run ${{ run.id }}"}'
                    expect_status: [200, 204]
                - name: scan
                  needs: [build]
                  uses: trivy
                  with: {image: "${{ stages.build.outputs.image }}", severity: 3}
            """;

    static PipelineDefinition load(String yaml) {
        LoadResult result = PipelineLoader.load(yaml, "handover.yaml");
        assertThat(result.diagnostics()).isEmpty();
        return result.orThrow();
    }

    @Test
    void outputsArtifactsAndInterpolatedEnvAreReadAsWritten() {
        PipelineDefinition definition = load(HANDOVER);
        StageSpec build = definition.stage("build").orElseThrow();
        StageSpec deploy = definition.stage("deploy").orElseThrow();

        assertThat(build.outputs()).containsExactly("image", "digest");
        assertThat(build.artifacts()).containsExactly("dist/*.tar.gz", "reports/**/*.xml");
        assertThat(deploy.env()).containsOnly(entry("IMAGE", "${{ stages.build.outputs.image }}"), entry("TOKEN", "${{ secrets.DEPLOY_TOKEN }}"));
        assertThat(Interpolation.parse(deploy.env().get("IMAGE")).render(path -> String.join(".", path).equals("stages.build.outputs.image")
                ? "registry.example.com/app:1.4.2" : null)).isEqualTo("registry.example.com/app:1.4.2");
    }

    @Test
    void anHttpStageHoldsItsInputsAsTextAndDecodesIntoItsCall() {
        StageSpec announce = load(HANDOVER).stage("announce").orElseThrow();

        assertThat(announce.with()).containsExactly(
                entry("url", "https://chat.example.com/hooks/${{ run.pipeline }}"),
                entry("method", "POST"),
                entry("headers", "Content-Type: application/json\nAuthorization: Bearer ${{ secrets.CHAT_TOKEN }}"),
                entry("body", "{\"text\": \"deployed ${{ stages.build.outputs.image }} in run ${{ run.id }}\"}"),
                entry("expect_status", "200,204"));
        HttpCall call = HttpCall.of(Map.of("url", "https://chat.example.com/hooks/handover", "method", "POST",
                "headers", "Content-Type: application/json\nAuthorization: Bearer s3cr3t", "expect_status", "200,204"));
        assertThat(call.headers()).containsExactly(entry("Content-Type", "application/json"), entry("Authorization", "Bearer s3cr3t"));
        assertThat(call.expectStatus()).containsExactly(200, 204);
        assertThat(call.expects(204)).isTrue();
        assertThat(call.expects(201)).isFalse();
        assertThat(call.body()).isNull();
    }

    @Test
    void anHttpCallDefaultsToGetAndAnySuccess() {
        HttpCall call = HttpCall.of(Map.of("url", "https://example.com/health"));

        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.headers()).isEmpty();
        assertThat(List.of(200, 204, 299, 301, 500)).map(call::expects).containsExactly(true, true, true, false, false);
    }

    @Test
    void anotherKindTakesInputsOfAnyNameAsText() {
        assertThat(load(HANDOVER).stage("scan").orElseThrow().with())
                .containsExactly(entry("image", "${{ stages.build.outputs.image }}"), entry("severity", "3"));
    }

    @Test
    void stageInputsOutputsAndArtifactsSurviveWriteThenLoad() {
        PipelineDefinition definition = load(HANDOVER);

        assertThat(PipelineLoader.load(PipelineWriter.write(definition), "written.yaml").orThrow()).isEqualTo(definition);
    }

    @Test
    void finallyStagesReadEveryStageAndTheFinallyStagesBeforeThem() {
        PipelineDefinition definition = load("""
                pipeline:
                  name: wrap-up
                  stages:
                    - {name: build, run: make, outputs: [version]}
                    - {name: test, run: make test}
                  finally:
                    - name: summarize
                      run: ./summarize.sh
                      outputs: [summary]
                      env: {VERSION: "${{ stages.build.outputs.version }}", TESTS: "${{ stages.test.status }}"}
                    - name: publish
                      run: ./publish.sh
                      env: {SUMMARY: "${{ stages.summarize.outputs.summary }}"}
                """);

        assertThat(definition.finallyStages()).extracting(StageSpec::name).containsExactly("summarize", "publish");
    }

    @Test
    void aSequentialStageReadsTheStagesBeforeItWithoutNamingThem() {
        load("""
                pipeline:
                  name: in-order
                  stages:
                    - {name: build, run: make, outputs: [image]}
                    - {name: test, run: make test}
                    - name: deploy
                      env: {IMAGE: "${{ stages.build.outputs.image }}"}
                      when: "stages.test.status == 'SUCCEEDED' && stages.test.metrics.coverage >= 80"
                      run: ./deploy.sh
                """);
    }
}
