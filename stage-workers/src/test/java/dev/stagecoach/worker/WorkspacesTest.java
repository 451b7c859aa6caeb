package dev.stagecoach.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs' working directories on a real disk, with a clock the test moves. */
class WorkspacesTest {

    static final Duration RUN_LIMIT = Duration.ofHours(2);

    @TempDir
    Path root;
    final MovingClock clock = new MovingClock();

    Workspaces workspaces(boolean keep) {
        return new Workspaces(root, keep, RUN_LIMIT, clock);
    }

    /** One attempt of {@code runId} that leaves a file behind. */
    static Path attempt(Workspaces workspaces, String runId) throws IOException {
        Path dir = workspaces.enter(runId);
        Files.writeString(dir.resolve("left-behind.txt"), runId);
        workspaces.leave(runId);
        return dir;
    }

    @Test
    void aLaterStageOfTheRunFindsTheFilesAnEarlierOneLeft() throws IOException {
        Workspaces workspaces = workspaces(false);
        Path first = attempt(workspaces, "run-1");
        clock.advance(RUN_LIMIT.minusMinutes(1));

        Path second = workspaces.enter("run-1");

        assertThat(second).isEqualTo(first);
        assertThat(second.resolve("left-behind.txt")).hasContent("run-1");
    }

    @Test
    void aDirectoryIdleForLongerThanARunMayLastIsDeletedWhenAnotherAttemptEnds() throws IOException {
        Workspaces workspaces = workspaces(false);
        Path old = attempt(workspaces, "run-1");
        clock.advance(RUN_LIMIT.plusSeconds(1));

        Path recent = attempt(workspaces, "run-2");

        assertThat(old).doesNotExist();
        assertThat(recent.resolve("left-behind.txt")).exists();
    }

    @Test
    void aDirectoryAnAttemptStillWorksInIsNotDeletedHoweverLongItRuns() throws IOException {
        Workspaces workspaces = workspaces(false);
        Path busy = workspaces.enter("run-1");
        clock.advance(RUN_LIMIT.multipliedBy(3));

        attempt(workspaces, "run-2");

        assertThat(busy).exists();
    }

    @Test
    void keepWorkDirsKeepsThemAll() throws IOException {
        Workspaces workspaces = workspaces(true);
        Path old = attempt(workspaces, "run-1");
        clock.advance(RUN_LIMIT.multipliedBy(10));

        attempt(workspaces, "run-2");

        assertThat(old.resolve("left-behind.txt")).exists();
    }

    @Test
    void deletingADirectoryRemovesLinksWithoutFollowingThem(@TempDir Path outside) throws IOException {
        Path elsewhere = Files.writeString(outside.resolve("precious.txt"), "keep me");
        Workspaces workspaces = workspaces(false);
        Path dir = workspaces.enter("run-1");
        Files.createSymbolicLink(dir.resolve("linked-dir"), elsewhere.getParent());
        workspaces.leave("run-1");
        clock.advance(RUN_LIMIT.plusSeconds(1));

        attempt(workspaces, "run-2");

        assertThat(dir).doesNotExist();
        assertThat(elsewhere).hasContent("keep me");
    }

    @Test
    void aRunIdCannotNameADirectoryOutsideTheRoot() throws IOException {
        Workspaces workspaces = workspaces(true);
        for (String hostile : new String[] {"..", ".", "../../etc", "/tmp", ""}) {
            assertThat(workspaces.enter(hostile).getParent()).as(hostile).isEqualTo(root);
        }
    }

    /** A clock that moves only when told. */
    static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
