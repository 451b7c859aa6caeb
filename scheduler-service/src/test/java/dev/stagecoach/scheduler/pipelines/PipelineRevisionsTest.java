package dev.stagecoach.scheduler.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagecoach.pipeline.InvalidPipelineException;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.pipeline.StageSpec;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The scheduler's one cache of parsed pipeline revisions, as a plain class. */
class PipelineRevisionsTest {

    private static String pipeline(String command) {
        return """
                pipeline:
                  name: build
                  stages:
                    - name: compile
                      run: %s
                """.formatted(command);
    }

    @Test
    void aRevisionIsParsedOnceAndEveryCallerGetsTheSameDefinition() {
        PipelineRevisions revisions = new PipelineRevisions();

        PipelineDefinition first = revisions.declared("build", 3, pipeline("make"));
        PipelineDefinition again = revisions.declared("build", 3, pipeline("make"));

        assertThat(again).isSameAs(first);
        assertThat(revisions.loaded("build", 3, pipeline("make")).definition()).containsSame(first);
        assertThat(first.stages()).extracting(StageSpec::run).containsExactly("make");
    }

    @Test
    void anotherYamlUnderTheSameRevisionNumberIsAnotherRevision() {
        PipelineRevisions revisions = new PipelineRevisions();

        PipelineDefinition before = revisions.declared("build", 1, pipeline("make"));
        // Revisions count from 1 again when the pipelines topic starts afresh.
        PipelineDefinition after = revisions.declared("build", 1, pipeline("make all"));

        assertThat(after.stages()).extracting(StageSpec::run).containsExactly("make all");
        assertThat(revisions.declared("build", 1, pipeline("make"))).isSameAs(before);
        assertThat(revisions.size()).isEqualTo(2);
    }

    @Test
    void theLeastRecentlyUsedRevisionMakesRoomWhenTheCacheIsFull() {
        PipelineRevisions revisions = new PipelineRevisions(2);
        PipelineDefinition one = revisions.declared("build", 1, pipeline("one"));
        PipelineDefinition two = revisions.declared("build", 2, pipeline("two"));
        revisions.declared("build", 1, pipeline("one"));

        revisions.declared("build", 3, pipeline("three"));

        assertThat(revisions.size()).isEqualTo(2);
        assertThat(revisions.declared("build", 1, pipeline("one"))).as("used last, so kept").isSameAs(one);
        assertThat(revisions.declared("build", 2, pipeline("two"))).as("used least, so parsed anew").isNotSameAs(two).isEqualTo(two);
    }

    @Test
    void aRevisionThatDoesNotLoadGivesTheLoadersErrors() {
        PipelineRevisions revisions = new PipelineRevisions();
        String yaml = """
                pipeline:
                  name: build
                  stages:
                    - name: deploy
                      needs: [biuld]
                """;

        assertThat(revisions.loaded("build", 1, yaml).ok()).isFalse();
        assertThatThrownBy(() -> revisions.declared("build", 1, yaml))
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessage("build.yaml:5:14 pipeline.stages[0].needs: unknown stage \"biuld\"")
                .satisfies(e -> assertThat(((InvalidPipelineException) e).diagnostics())
                        .isEqualTo(PipelineLoader.load(yaml, "build.yaml").errors()));
    }

    @Test
    void threadsThatAskForTheSameRevisionAtOnceShareOneParse() throws Exception {
        PipelineRevisions revisions = new PipelineRevisions();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            Callable<PipelineDefinition> ask = () -> revisions.declared("build", 1, pipeline("make"));
            List<Future<PipelineDefinition>> answers = threads.invokeAll(IntStream.range(0, 64).mapToObj(i -> ask).toList());

            PipelineDefinition first = answers.get(0).get();
            for (Future<PipelineDefinition> answer : answers) {
                assertThat(answer.get()).isSameAs(first);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
