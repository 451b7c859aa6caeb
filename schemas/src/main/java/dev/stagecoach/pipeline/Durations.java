package dev.stagecoach.pipeline;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in pipelines: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message that says what a valid duration looks like */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        Matcher matcher = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int end = 0;
        try {
            while (matcher.find() && matcher.start() == end) {
                long amount = Long.parseLong(matcher.group(1));
                total = total.plus(switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
                end = matcher.end();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // Callers catch IllegalArgumentException: an overflow must not escape as another exception.
            throw new IllegalArgumentException("\"" + text + "\" is too long a duration");
        }
        if (trimmed.isEmpty() || end != trimmed.length()) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is not a duration; write a number and a unit, e.g. 500ms, 30s, 5m, 1h30m");
        }
        return total;
    }

    /** The shortest text {@link #parse} reads back as the same duration. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long millis = duration.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (millis >= units[i]) {
                text.append(millis / units[i]).append(names[i]);
                millis %= units[i];
            }
        }
        return text.toString();
    }
}
