package dev.stagecoach.worker;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line a stage prints to report something to Stagecoach, in the manner of GitHub Actions'
 * workflow commands: {@code ::metric coverage=87.5} or {@code ::output version=1.4.2}.
 */
record WorkflowCommand(Kind kind, String name, String value) {

    enum Kind { METRIC, OUTPUT }

    private static final Pattern LINE = Pattern.compile("^::(metric|output) ([A-Za-z0-9_.-]+)=(.*)$");

    static Optional<WorkflowCommand> parse(String line) {
        Matcher matcher = LINE.matcher(line);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new WorkflowCommand(Kind.valueOf(matcher.group(1).toUpperCase(java.util.Locale.ROOT)),
                matcher.group(2), matcher.group(3)));
    }
}
