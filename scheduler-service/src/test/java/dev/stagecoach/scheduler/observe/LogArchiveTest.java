package dev.stagecoach.scheduler.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.LogBatch;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LogArchiveTest {

    private final LogArchive archive = new LogArchive(5);

    @Test
    void keepsTheNewestLinesOfEachAttemptAndCountsTheDroppedOnes() {
        archive.read(batch("build", 1, 1, 4));
        archive.read(batch("build", 1, 5, 4));
        archive.read(batch("build", 2, 1, 2));

        LogArchive.AttemptLog first = archive.attempt("run", "build", 1).orElseThrow();
        assertThat(first.lines()).extracting(LogArchive.Line::text).containsExactly("4", "5", "6", "7", "8");
        assertThat(first.dropped()).isEqualTo(3);
        assertThat(archive.attempt("run", "build", null).orElseThrow().attempt()).isEqualTo(2);
        assertThat(archive.attempts("run", null)).extracting(LogArchive.AttemptLog::attempt).containsExactly(1, 2);
    }

    @Test
    void aBatchReadTwiceAddsNothing() {
        archive.read(batch("build", 1, 1, 3));
        archive.read(batch("build", 1, 1, 3));

        assertThat(archive.attempt("run", "build", 1).orElseThrow().lines()).hasSize(3);
    }

    @Test
    void aFollowerGetsWhatIsKeptThenEachNewLineOnce() {
        archive.read(batch("build", 1, 1, 2));
        archive.read(batch("test", 1, 1, 1));
        AssertSubscriber<LogArchive.Chunk> follower = archive.follow("run", "build").subscribe()
                .withSubscriber(AssertSubscriber.create(10));

        archive.read(batch("build", 1, 3, 2));
        archive.read(batch("test", 1, 2, 1));
        archive.read(batch("build", 2, 1, 1));

        assertThat(follower.getItems()).extracting(chunk -> chunk.attempt() + ":" + chunk.lines().stream()
                .map(LogArchive.Line::text).toList()).containsExactly("1:[1, 2]", "1:[3, 4]", "2:[1]");
    }

    @Test
    void aForgottenRunsLinesAreGone() {
        archive.read(batch("build", 1, 1, 2));
        archive.forget("run");

        assertThat(archive.attempts("run", null)).isEmpty();
    }

    private static LogBatch batch(String stage, int attempt, int firstLine, int count) {
        List<String> lines = IntStream.range(firstLine, firstLine + count).mapToObj(String::valueOf).toList();
        return LogBatch.newBuilder().setRunId("run").setStage(stage).setAttemptId("run/" + stage + "/" + attempt)
                .setFirstLine(firstLine).setLines(lines).setAt(Instant.EPOCH).build();
    }
}
