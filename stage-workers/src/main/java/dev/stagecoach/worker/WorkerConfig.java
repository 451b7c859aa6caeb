package dev.stagecoach.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

@ConfigMapping(prefix = "stagecoach.worker")
public interface WorkerConfig {

    /** The pool this worker serves; it consumes the topic commands.&lt;pool&gt;. */
    @WithDefault("default")
    String pool();

    /** Where each run gets its working directory. */
    @WithDefault("${java.io.tmpdir}/stagecoach-work")
    Path workDir();

    /** Keep every run's working directory instead of deleting it once it has been idle for as long as a run may last. */
    @WithDefault("false")
    boolean keepWorkDirs();

    /** Where the files that stages declare as artifacts are kept, as {@code <run>/<stage>/<attempt>/<path>}. */
    @WithDefault("${java.io.tmpdir}/stagecoach-artifacts")
    Path artifactDir();

    /**
     * How long the artifacts of a run are kept after its last attempt on this worker: set it
     * like the scheduler's {@code stagecoach.retention}, which forgets the run after as long.
     */
    @WithDefault("7d")
    java.time.Duration artifactRetention();

    /** How this instance names itself in results; defaults to host and process id. */
    Optional<String> id();

    /**
     * Where this worker reads a stage's {@code secrets.<NAME>}: a file {@code NAME} per secret, as
     * Kubernetes mounts a secret volume. A secret with no file here comes from the environment
     * variable {@code STAGECOACH_SECRET_<NAME>}.
     */
    Optional<Path> secretsDir();

    /** Stages this instance runs at once; start more instances for more. */
    @WithDefault("4")
    int maxConcurrency();

    /**
     * The longest line of a stage's output that is kept, in characters; a longer one is cut,
     * with a marker saying so, and the stage goes on. Bounds the memory a line can take.
     */
    @WithDefault("8192")
    int maxLogLineChars();

    /** How many last lines of output a result carries. */
    @WithDefault("20")
    int outputTailLines();
}
