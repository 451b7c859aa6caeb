package dev.stagecoach.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The runs' working directories on this worker. Every stage of a run that runs here works in
 * the same one, so a later stage finds the files an earlier one left. A directory is
 * therefore not deleted when an attempt ends but once no attempt has used it for
 * {@code idleLimit}: the longest a run may last, after which its stages are over.
 */
final class Workspaces {

    private static final Logger LOG = Logger.getLogger(Workspaces.class);

    private final Path root;
    private final boolean keep;
    private final Duration idleLimit;
    private final Clock clock;
    private final Map<String, Integer> attemptsInside = new HashMap<>();

    /** @param keep never delete a working directory, e.g. to look at what a stage left behind */
    Workspaces(Path root, boolean keep, Duration idleLimit, Clock clock) {
        this.root = root;
        this.keep = keep;
        this.idleLimit = idleLimit;
        this.clock = clock;
    }

    /** The run's working directory, created if need be; it is not deleted until {@link #leave}. */
    synchronized Path enter(String runId) throws IOException {
        Path dir = Files.createDirectories(dirOf(runId));
        attemptsInside.merge(dir.getFileName().toString(), 1, Integer::sum);
        touch(dir);
        return dir;
    }

    /** The attempt is over: the directory counts as used now, and directories idle for too long go. */
    synchronized void leave(String runId) {
        Path dir = dirOf(runId);
        attemptsInside.computeIfPresent(dir.getFileName().toString(), (name, count) -> count == 1 ? null : count - 1);
        try {
            touch(dir);
            if (!keep) {
                deleteIdle();
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("working directories under %s not cleaned up: %s", root, e.getMessage());
        }
    }

    private Path dirOf(String runId) {
        return root.resolve(FileNames.safe(runId));
    }

    private void touch(Path dir) throws IOException {
        FileTrees.touch(dir, clock.instant());
    }

    private void deleteIdle() throws IOException {
        List<Path> idle = FileTrees.unusedSince(root, clock.instant().minus(idleLimit),
                dir -> !attemptsInside.containsKey(dir.getFileName().toString()));
        for (Path dir : idle) {
            try {
                FileTrees.deleteTree(dir);
            } catch (IOException e) {
                LOG.warnf("working directory %s not deleted: %s", dir, e);
            }
        }
    }
}
