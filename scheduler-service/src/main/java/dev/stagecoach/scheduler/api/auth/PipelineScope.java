package dev.stagecoach.scheduler.api.auth;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pipelines a token may reach, as globs over pipeline names ({@code *} any run of
 * characters, {@code ?} one character), from {@code stagecoach.auth.scopes.<token-name>}.
 * A token without a scope reaches every pipeline.
 */
public final class PipelineScope {

    public static final PipelineScope EVERY_PIPELINE = new PipelineScope(List.of(), List.of());

    private final List<String> globs;
    private final List<Pattern> patterns;

    private PipelineScope(List<String> globs, List<Pattern> patterns) {
        this.globs = globs;
        this.patterns = patterns;
    }

    /**
     * @param commaSeparated e.g. {@code release-*,deploy-?}
     * @throws IllegalArgumentException when the list or one of its globs is empty
     */
    public static PipelineScope parse(String commaSeparated) {
        List<String> globs = Arrays.stream(commaSeparated.split(",", -1)).map(String::trim).toList();
        if (globs.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("\"" + commaSeparated + "\" has an empty pattern; list globs over pipeline names "
                    + "separated by commas, e.g. release-*,deploy-?");
        }
        return new PipelineScope(globs, globs.stream().map(PipelineScope::regex).toList());
    }

    public boolean unlimited() {
        return patterns.isEmpty();
    }

    public boolean covers(String pipeline) {
        return unlimited() || (pipeline != null && patterns.stream().anyMatch(p -> p.matcher(pipeline).matches()));
    }

    /** The globs as configured, e.g. {@code release-*, deploy-?}; "every pipeline" when unlimited. */
    public String describe() {
        return unlimited() ? "every pipeline" : String.join(", ", globs);
    }

    private static Pattern regex(String glob) {
        return Pattern.compile(glob.chars().mapToObj(c -> switch (c) {
            case '*' -> ".*";
            case '?' -> ".";
            default -> Pattern.quote(Character.toString(c));
        }).collect(Collectors.joining()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PipelineScope scope && scope.globs.equals(globs);
    }

    @Override
    public int hashCode() {
        return globs.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
