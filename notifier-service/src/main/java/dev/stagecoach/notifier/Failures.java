package dev.stagecoach.notifier;

import java.util.concurrent.CompletionException;

/** What went wrong in a chain of completion stages, without the wrapper the chain adds. */
final class Failures {

    private Failures() {
    }

    static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
