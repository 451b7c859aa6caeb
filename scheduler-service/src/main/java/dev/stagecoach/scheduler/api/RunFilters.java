package dev.stagecoach.scheduler.api;

import dev.stagecoach.events.TriggerType;
import dev.stagecoach.scheduler.engine.RunStatus;
import dev.stagecoach.scheduler.observe.RunQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a run list's query parameters, naming every one that is wrong. {@code since} and
 * {@code until} take an instant ({@code 2026-12-01T08:00:00Z}) or an age ({@code 90m}, {@code 2h},
 * {@code 7d}: that long before now).
 */
final class RunFilters {

    static final int DEFAULT_LIMIT = 50;

    static final class InvalidFilterException extends RuntimeException {
        final List<String> problems;

        InvalidFilterException(List<String> problems) {
            super("the run list's parameters are not valid");
            this.problems = problems;
        }
    }

    private final List<String> problems = new ArrayList<>();

    private RunFilters() {
    }

    static RunQuery read(String pipeline, String status, String trigger, String since, String until, String limit,
                         String cursor, Instant now) {
        RunFilters filters = new RunFilters();
        String statusName = filters.oneOf("status", status, Arrays.stream(RunStatus.values()).map(Enum::name).toList());
        String triggerName = filters.oneOf("trigger", trigger, Arrays.stream(TriggerType.values())
                .filter(t -> t != TriggerType.UNKNOWN).map(Enum::name).toList());
        Instant from = filters.instant("since", since, now);
        Instant to = filters.instant("until", until, now);
        int count = filters.limit(limit);
        RunQuery.Cursor after = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = RunQuery.Cursor.decode(cursor);
            } catch (IllegalArgumentException e) {
                filters.problems.add("cursor: " + e.getMessage());
            }
        }
        if (!filters.problems.isEmpty()) {
            throw new InvalidFilterException(List.copyOf(filters.problems));
        }
        return new RunQuery(blankToNull(pipeline), statusName, triggerName, from, to, count, after);
    }

    /** The audit list's {@code since} and {@code limit}, read as the run list reads its own. */
    record AuditWindow(Instant since, int limit) {
    }

    static AuditWindow readAudit(String since, String limit, Instant now) {
        RunFilters filters = new RunFilters();
        Instant from = filters.instant("since", since, now);
        int count = filters.limit(limit);
        if (!filters.problems.isEmpty()) {
            throw new InvalidFilterException(List.copyOf(filters.problems));
        }
        return new AuditWindow(from, count);
    }

    private String oneOf(String name, String value, List<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String upper = value.trim().toUpperCase(Locale.ROOT);
        if (!allowed.contains(upper)) {
            problems.add(name + ": \"" + value + "\" is not one of " + String.join(", ", allowed));
        }
        return upper;
    }

    private Instant instant(String name, String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return now.minus(age(text));
            } catch (RuntimeException notAnAge) {
                problems.add(name + ": \"" + value + "\" is neither an instant (2026-12-01T08:00:00Z) nor an age (90m, 2h, 7d)");
                return null;
            }
        }
    }

    private static Duration age(String text) {
        char unit = text.charAt(text.length() - 1);
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        if (amount < 0) {
            throw new IllegalArgumentException("negative");
        }
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("unit " + unit);
        };
    }

    private int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= RunQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("limit: \"" + value + "\" is not a number from 1 to " + RunQuery.MAX_LIMIT);
        return DEFAULT_LIMIT;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
