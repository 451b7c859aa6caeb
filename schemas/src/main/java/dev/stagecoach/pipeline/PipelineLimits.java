package dev.stagecoach.pipeline;

/**
 * How big a pipeline and a run's input may be, so that oversized input is refused with an error
 * that says which limit it crossed instead of filling the memory of the scheduler, the engine
 * and the workers. A service sets them once at start from its {@code stagecoach.limits.*}
 * configuration ({@link #use}); the CLI and everything else get the defaults.
 *
 * @param pipelineBytes the largest pipeline file, in bytes of UTF-8
 * @param stages the most stages a pipeline may have, {@code finally} stages included
 * @param shards the most shards the fanned-out stages of one run may make together
 * @param parameterChars the longest parameter value, in characters
 */
public record PipelineLimits(long pipelineBytes, int stages, int shards, int parameterChars) {

    public static final PipelineLimits DEFAULTS = new PipelineLimits(1024 * 1024, 500, 1000, 64 * 1024);

    private static volatile PipelineLimits current = DEFAULTS;

    public PipelineLimits {
        if (pipelineBytes < 1 || stages < 1 || shards < 1 || parameterChars < 1) {
            throw new IllegalArgumentException("every limit must be at least 1: " + this);
        }
    }

    /** The limits the loader and the parameter binder apply in this process. */
    public static PipelineLimits current() {
        return current;
    }

    /** Sets the limits of this process; a service calls this once, before it reads any pipeline. */
    public static void use(PipelineLimits limits) {
        current = limits;
    }

    /** A size in words, e.g. {@code 1 MiB} or {@code 1536 bytes}. */
    static String bytes(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }
}
