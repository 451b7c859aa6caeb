package dev.stagecoach.pipeline;

import java.util.List;

/** Run parameters that do not fit the pipeline; lists every problem, never a secret value. */
public class InvalidParametersException extends RuntimeException {

    private final List<String> problems;

    public InvalidParametersException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
