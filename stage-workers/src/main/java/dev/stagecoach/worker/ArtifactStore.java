package dev.stagecoach.worker;

import dev.stagecoach.events.ArtifactRef;
import dev.stagecoach.events.StageCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Keeps the files an attempt declares as artifacts: copies them out of the run's working
 * directory, which does not last, to {@code <root>/<run>/<stage>/<attempt>/<path>}, and
 * describes each copy (where, size, SHA-256) for the attempt's result. A declaration that
 * keeps nothing is not a failure of the stage: it is said in a warning line of its output.
 */
public final class ArtifactStore {

    private static final Logger LOG = Logger.getLogger(ArtifactStore.class);
    private static final String WARNING = "[stagecoach] warning: artifact ";
    private static final Duration SWEEP_EVERY = Duration.ofHours(1);

    private final Path root;
    private final Duration retention;
    private final Clock clock;
    private Instant sweptAt = Instant.MIN;

    /** @param retention how long a run's artifacts are kept after its last attempt here, as long as the scheduler keeps the run */
    public ArtifactStore(Path root, Duration retention, Clock clock) {
        this.root = root;
        this.retention = retention;
        this.clock = clock;
    }

    /** Deletes the artifacts of every run whose last attempt here is older than the retention. */
    public synchronized void sweep() {
        sweptAt = clock.instant();
        try {
            for (Path run : FileTrees.unusedSince(root, sweptAt.minus(retention), dir -> true)) {
                FileTrees.deleteTree(run);
                LOG.debugf("artifacts of %s deleted after the retention of %s", run.getFileName(), retention);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warnf("artifacts under %s not cleaned up: %s", root, e.getMessage());
        }
    }

    /** @param log takes the warning lines, which join the attempt's output */
    public List<ArtifactRef> keep(StageCommand command, Path workDir, Consumer<String> log) {
        Map<Path, String> named = new LinkedHashMap<>();
        for (String declared : command.getArtifacts()) {
            try {
                ArtifactPaths.Found found = ArtifactPaths.find(workDir, declared);
                found.refused().forEach(why -> log.accept(WARNING + "\"" + declared + "\" not kept: " + why));
                if (found.files().isEmpty() && found.refused().isEmpty()) {
                    log.accept(WARNING + "\"" + declared + "\" matched no file");
                }
                found.files().forEach(file -> named.putIfAbsent(file, declared));
            } catch (IOException e) {
                log.accept(WARNING + "\"" + declared + "\" not kept: " + e);
            }
        }
        Path runDir = root.resolve(FileNames.safe(command.getRunId()));
        Path into = runDir.resolve(FileNames.safe(command.getStage())).resolve(Integer.toString(command.getAttempt()));
        List<ArtifactRef> kept = new ArrayList<>();
        for (Path file : named.keySet()) {
            try {
                kept.add(copy(workDir.resolve(file), into.resolve(file), file));
            } catch (IOException e) {
                log.accept(WARNING + "\"" + file + "\" not kept: " + e);
            }
        }
        try {
            FileTrees.touch(runDir, clock.instant());
        } catch (IOException e) {
            LOG.warnf("artifacts of %s may be deleted early: %s", runDir, e);
        }
        if (sweptAt.plus(SWEEP_EVERY).isBefore(clock.instant())) {
            sweep();
        }
        return kept;
    }

    private static ArtifactRef copy(Path from, Path to, Path relative) throws IOException {
        Files.createDirectories(to.getParent());
        MessageDigest sha256 = sha256();
        long size;
        try (InputStream in = new DigestInputStream(Files.newInputStream(from), sha256)) {
            size = Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return ArtifactRef.newBuilder()
                .setPath(relative.toString())
                .setLocation(to.toUri().toString())
                .setSizeBytes(size)
                .setSha256(HexFormat.of().formatHex(sha256.digest()))
                .build();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
