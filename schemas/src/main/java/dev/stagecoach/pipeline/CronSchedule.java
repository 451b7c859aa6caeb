package dev.stagecoach.pipeline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;

/**
 * A five-field cron schedule as in crontab(5): minute, hour, day of month, month, day of
 * week. Each field is {@code *}, a number or name, a range {@code a-b}, a step {@code *}{@code /n}
 * or {@code a-b/n}, or a comma-separated list of those. Months may be named JAN-DEC and days
 * SUN-SAT; day of week 0 and 7 are both Sunday.
 *
 * <p>As in Vixie cron, when both day fields are restricted (neither starts with {@code *}),
 * a day matches if either does: {@code 0 0 1 * MON} fires on the 1st and on every Monday.
 *
 * <p>Two schedules are equal when they are written alike.
 */
public final class CronSchedule {

    private record Field(String name, int min, int max, int starMax, List<String> names, int firstNamed, String allows) {
    }

    private static final Field MINUTE = new Field("minute", 0, 59, 59, List.of(), 0, "0-59");
    private static final Field HOUR = new Field("hour", 0, 23, 23, List.of(), 0, "0-23");
    private static final Field DAY_OF_MONTH = new Field("day-of-month", 1, 31, 31, List.of(), 0, "1-31");
    private static final Field MONTH = new Field("month", 1, 12, 12,
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1, "1-12 or JAN-DEC");
    // 7 is folded into 0 when read; "*" means 0-6 so that */2 does not count Sunday twice.
    private static final Field DAY_OF_WEEK = new Field("day-of-week", 0, 7, 6,
            List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), 0, "0-7 (0 and 7 are Sunday) or SUN-SAT");
    private static final List<Field> FIELDS = List.of(MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK);

    // The longest wait between two fire times of a schedule that fires at all: Feb 29 skips 2100.
    private static final int SEARCH_DAYS = 366 * 9;

    private final String expression;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean bothDaysRestricted;

    private CronSchedule(String expression, long[] masks, boolean bothDaysRestricted) {
        this.expression = expression;
        this.minutes = masks[0];
        this.hours = masks[1];
        this.daysOfMonth = masks[2];
        this.months = masks[3];
        this.daysOfWeek = masks[4];
        this.bothDaysRestricted = bothDaysRestricted;
    }

    /** @throws IllegalArgumentException naming the field that is wrong and what it allows */
    public static CronSchedule parse(String expression) {
        String[] texts = expression == null ? new String[0] : expression.trim().split("\\s+");
        if (texts.length != FIELDS.size() || texts[0].isEmpty()) {
            int found = expression == null || expression.isBlank() ? 0 : texts.length;
            throw new IllegalArgumentException("a cron schedule has 5 fields, minute hour day-of-month month day-of-week; \""
                    + expression + "\" has " + found);
        }
        long[] masks = new long[FIELDS.size()];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = field(texts[i], FIELDS.get(i));
        }
        boolean domRestricted = !texts[2].startsWith("*");
        boolean dowRestricted = !texts[4].startsWith("*");
        if (domRestricted && !dowRestricted && !anyMonthHasOneOfTheDays(masks[3], masks[2])) {
            throw new IllegalArgumentException("the schedule never fires: no month in \"" + texts[3]
                    + "\" has a day in \"" + texts[2] + "\"");
        }
        return new CronSchedule(String.join(" ", texts), masks, domRestricted && dowRestricted);
    }

    /** The schedule as written, with single spaces between the fields. */
    public String expression() {
        return expression;
    }

    /**
     * The first fire time strictly after {@code after}, the fields read as wall-clock time in
     * {@code zone}. Around daylight saving changes: a time the clocks skip fires as
     * {@link ZonedDateTime#of} moves it, later by the length of the gap (02:30 becomes 03:30
     * when 02:00 jumps to 03:00); a time that occurs twice fires once, at its first occurrence.
     */
    public Instant nextAfter(Instant after, ZoneId zone) {
        LocalDate date = after.atZone(zone).toLocalDate();
        Instant best = null;
        for (int day = 0; day <= SEARCH_DAYS; day++, date = date.plusDays(1)) {
            // A later day can only beat the best time found when a DST shift moved that one past midnight.
            if (best != null && !date.atStartOfDay(zone).toInstant().isBefore(best)) {
                break;
            }
            if (!firesOn(date)) {
                continue;
            }
            for (int hour = 0; hour < 24; hour++) {
                if (!has(hours, hour)) {
                    continue;
                }
                for (int minute = 0; minute < 60; minute++) {
                    if (has(minutes, minute)) {
                        Instant at = ZonedDateTime.of(date, LocalTime.of(hour, minute), zone).toInstant();
                        if (at.isAfter(after) && (best == null || at.isBefore(best))) {
                            best = at;
                        }
                    }
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("\"" + expression + "\" does not fire within " + SEARCH_DAYS + " days after " + after);
        }
        return best;
    }

    private boolean firesOn(LocalDate date) {
        if (!has(months, date.getMonthValue())) {
            return false;
        }
        boolean dayOfMonth = has(daysOfMonth, date.getDayOfMonth());
        boolean dayOfWeek = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
        return bothDaysRestricted ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
    }

    private static boolean anyMonthHasOneOfTheDays(long months, long days) {
        for (int month = 1; month <= 12; month++) {
            int length = Month.of(month).maxLength();
            if (has(months, month) && Long.numberOfTrailingZeros(days) <= length) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(long mask, int value) {
        return (mask & (1L << value)) != 0;
    }

    private static long field(String text, Field field) {
        long mask = 0;
        for (String part : text.split(",", -1)) {
            if (part.isEmpty()) {
                throw problem(field, text, "an entry of the list is empty");
            }
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                String stepText = part.substring(slash + 1);
                if (!stepText.matches("\\d{1,4}") || Integer.parseInt(stepText) < 1) {
                    throw problem(field, text, "the step \"" + stepText + "\" must be a whole number from 1");
                }
                step = Integer.parseInt(stepText);
                if (!range.equals("*") && range.indexOf('-', 1) < 0) {
                    throw problem(field, text, "a step follows * or a range, as in */15 or 10-40/5");
                }
            }
            int low;
            int high;
            if (range.equals("*")) {
                low = field.min();
                high = field.starMax();
            } else {
                int dash = range.indexOf('-', 1);
                low = value(dash < 0 ? range : range.substring(0, dash), field, text);
                high = dash < 0 ? low : value(range.substring(dash + 1), field, text);
                if (field == DAY_OF_WEEK && high == 0 && low > 0) {
                    // SUN is 0, yet FRI-SUN plainly ends the week: read it as 7.
                    high = 7;
                }
                if (low > high) {
                    throw problem(field, text, "the range " + range + " runs backwards; write the smaller value first");
                }
            }
            for (int value = low; value <= high; value += step) {
                mask |= 1L << (field == DAY_OF_WEEK ? value % 7 : value);
            }
        }
        return mask;
    }

    private static int value(String token, Field field, String text) {
        if (token.matches("\\d{1,9}")) {
            int value = Integer.parseInt(token);
            if (value < field.min() || value > field.max()) {
                throw problem(field, text, value + " is out of range");
            }
            return value;
        }
        int named = field.names().indexOf(token.toUpperCase(Locale.ROOT));
        if (named >= 0) {
            return field.firstNamed() + named;
        }
        String kind = field == MONTH ? "a number or a month name" : field == DAY_OF_WEEK ? "a number or a day name" : "a number";
        throw problem(field, text, "\"" + token + "\" is not " + kind
                + Suggestions.didYouMean(token.toUpperCase(Locale.ROOT), field.names()));
    }

    private static IllegalArgumentException problem(Field field, String text, String what) {
        return new IllegalArgumentException("the " + field.name() + " field \"" + text + "\" is not valid: " + what
                + "; it allows " + field.allows());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSchedule schedule && schedule.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }
}
