package dev.stagecoach.cli;

/** Whether the CLI talks to a person at a terminal, who may see a line redrawn, or to a pipe or a log file. */
final class Terminal {

    private Terminal() {
    }

    static boolean isInteractive() {
        // System.console() is null when standard input or output is not a terminal.
        String term = System.getenv("TERM");
        return System.console() != null && !"dumb".equals(term) && System.getenv("NO_COLOR") == null;
    }
}
