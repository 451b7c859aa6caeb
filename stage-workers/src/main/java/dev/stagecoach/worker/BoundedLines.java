package dev.stagecoach.worker;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads a stage's output line by line, keeping at most {@code maxChars} of each line: a script
 * that prints a gigabyte without a newline must not take the worker's memory with it. A cut
 * line ends with a marker that says how long it was and which setting cut it; the stage goes on.
 */
final class BoundedLines {

    static final String SETTING = "stagecoach.worker.max-log-line-chars";

    private final Reader reader;
    private final int maxChars;
    private final StringBuilder line = new StringBuilder();
    private boolean ended;

    BoundedLines(Reader reader, int maxChars) {
        this.reader = reader;
        this.maxChars = maxChars;
    }

    /** The next line without its line break, or null at the end of the output. */
    String next() throws IOException {
        if (ended) {
            return null;
        }
        line.setLength(0);
        long length = 0;
        boolean sawAny = false;
        while (true) {
            int c = reader.read();
            if (c == -1) {
                ended = true;
                return sawAny ? finish(length) : null;
            }
            sawAny = true;
            if (c == '\n') {
                return finish(length);
            }
            if (length < maxChars) {
                line.append((char) c);
            }
            length++;
        }
    }

    private String finish(long length) {
        if (line.length() > 0 && line.charAt(line.length() - 1) == '\r' && length <= maxChars) {
            line.setLength(line.length() - 1);
        }
        if (length > maxChars) {
            return line + " [stagecoach: line cut at " + maxChars + " of " + length + " characters (" + SETTING + ")]";
        }
        return line.toString();
    }
}
