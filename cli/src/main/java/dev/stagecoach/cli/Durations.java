package dev.stagecoach.cli;

import java.time.Duration;

/** Durations as people read them: 850 ms, 42 s, 3 min 5 s, 2 h 10 min. */
final class Durations {

    private Durations() {
    }

    static String text(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1_000) {
            return millis + " ms";
        }
        long seconds = millis / 1_000;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3_600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3_600 + " h " + seconds % 3_600 / 60 + " min";
    }
}
