package dev.stagecoach.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.stagecoach.scheduler.SchedulerFixture;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each limit on what the API takes in, at its default, answered with an error that names it. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = SchedulerFixture.TOPICS))
class ApiLimitsTest {

    @BeforeEach
    void engineIsRunning() {
        SchedulerFixture.awaitEngineReady();
    }

    @Test
    void aBodyLargerThanTheHttpLimitIsAnswered413NamingTheLimit() {
        byte[] body = new byte[3 * 1024 * 1024];

        given().contentType("application/yaml").body(body).post("/api/pipelines")
                .then().statusCode(413).contentType(ContentType.JSON)
                .body("error", equalTo("the request body is 3145728 bytes; at most 2097152 are accepted (quarkus.http.limits.max-body-size)"));
    }

    @Test
    void aPipelineFileLargerThanThePipelineLimitIsRefusedByTheLoader() {
        String yaml = "pipeline:\n  name: big\n  description: \"" + "x".repeat(1536 * 1024) + "\"\n  stages:\n    - {name: a, run: 'true'}\n";

        given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8)).post("/api/pipelines?file=big.yaml")
                .then().statusCode(400).body("problems", contains("big.yaml: pipeline: the file is larger than 1 MiB,"
                        + " the most a pipeline may be (stagecoach.limits.pipeline-bytes); it was not read"));
    }

    @Test
    void aPipelineWithMoreStagesThanTheLimitIsRefusedAtItsStagesKey() {
        String stages = IntStream.range(0, 501).mapToObj(i -> "    - {name: s" + i + ", run: 'true'}").collect(Collectors.joining("\n"));

        given().contentType("application/yaml").body(("pipeline:\n  name: many\n  stages:\n" + stages + "\n").getBytes(StandardCharsets.UTF_8))
                .post("/api/pipelines?file=many.yaml")
                .then().statusCode(400).body("problems", contains("many.yaml:4:5 pipeline.stages: the pipeline has 501 stages"
                        + " (finally stages included); at most 500 are allowed (stagecoach.limits.stages)"));
    }

    @Test
    void aMatrixThatMakesTheRunTooManyShardsIsRefusedNamingTheMatrix() {
        given().contentType("application/yaml").body("""
                pipeline:
                  name: wide
                  stages:
                    - {name: build, parallel: 601, run: 'true'}
                    - name: test
                      matrix: {os: [linux, mac, windows, bsd], jdk: ["11", "17", "21", "25"], db: [pg, mysql, sqlite, h2, oracle, db2, mssql, maria, derby, hsql, duck, mongo, redis, kafka, cassandra, neo4j, couch, riak, influx, timescale, clickhouse, cockroach, yuga, tidb, spanner]}
                      run: 'true'
                """.getBytes(StandardCharsets.UTF_8)).post("/api/pipelines?file=wide.yaml")
                .then().statusCode(400).body("problems", contains("wide.yaml:6:15 pipeline.stages[1].matrix: stage \"test\":"
                        + " the matrix of 400 combinations brings the run to 1001 shards; a run may have at most 1000 (stagecoach.limits.shards)"));
    }

    @Test
    void aParameterValueLongerThanTheLimitIsRefusedNamingTheLimit() {
        SchedulerFixture.register("""
                pipeline:
                  name: limits-param
                  parameters:
                    note: {type: string}
                  stages:
                    - {name: a, run: 'true'}
                """);

        given().contentType(ContentType.JSON).body(Map.of("parameters", Map.of("note", "x".repeat(65_537))))
                .post("/api/pipelines/limits-param/runs")
                .then().statusCode(400).body("error", startsWith("the parameters do not fit"))
                .body("problems", hasItem("parameter \"note\": the value has 65537 characters; at most 65536 are allowed"
                        + " (stagecoach.limits.parameter-chars)"));
    }
}
