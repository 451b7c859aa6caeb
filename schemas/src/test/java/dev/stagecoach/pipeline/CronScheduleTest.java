package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    static Instant next(String schedule, String after, ZoneId zone) {
        return CronSchedule.parse(schedule).nextAfter(at(after), zone);
    }

    @Test
    void everyFifteenMinutesFiresAtTheNextQuarterStrictlyAfterTheGivenTime() {
        assertThat(next("*/15 * * * *", "2025-06-02T10:07:30Z", ZoneOffset.UTC)).isEqualTo(at("2025-06-02T10:15:00Z"));
        assertThat(next("*/15 * * * *", "2025-06-02T10:15:00Z", ZoneOffset.UTC)).isEqualTo(at("2025-06-02T10:30:00Z"));
        assertThat(next("*/15 * * * *", "2025-12-31T23:59:00Z", ZoneOffset.UTC)).isEqualTo(at("2026-01-01T00:00:00Z"));
    }

    @Test
    void weekdayScheduleSkipsTheWeekendAndKeepsItsWallClockTimeAcrossTheSpringChange() {
        // Friday 03:00 in winter time; Paris moves to summer time on Sunday 2025-03-30.
        Instant monday = next("0 3 * * 1-5", "2025-03-28T03:00:00+01:00", PARIS);

        assertThat(monday).isEqualTo(at("2025-03-31T03:00:00+02:00"));
        assertThat(monday).isEqualTo(at("2025-03-31T01:00:00Z"));
    }

    @Test
    void aTimeTheSpringChangeSkipsFiresLaterByTheLengthOfTheGap() {
        // On 2025-03-30 Paris clocks jump from 02:00 to 03:00: there is no 02:30 that day.
        Instant skipped = next("30 2 * * *", "2025-03-29T02:30:00+01:00", PARIS);

        assertThat(skipped).isEqualTo(at("2025-03-30T03:30:00+02:00"));
        assertThat(next("30 2 * * *", skipped.toString(), PARIS)).isEqualTo(at("2025-03-31T02:30:00+02:00"));
    }

    @Test
    void aTimeTheAutumnChangeRepeatsFiresOnceAtItsFirstOccurrence() {
        // On 2025-10-26 Paris clocks go back from 03:00 to 02:00: 02:30 happens twice.
        Instant first = next("30 2 * * *", "2025-10-26T00:00:00Z", PARIS);

        assertThat(first).isEqualTo(at("2025-10-26T02:30:00+02:00"));
        assertThat(next("30 2 * * *", first.toString(), PARIS)).isEqualTo(at("2025-10-27T02:30:00+01:00"));
    }

    @Test
    void hourlyScheduleCountsWallClockHoursOnTheDayClocksGoBack() {
        assertThat(next("0 * * * *", "2025-10-26T02:30:00+02:00", PARIS)).isEqualTo(at("2025-10-26T03:00:00+01:00"));
    }

    @Test
    void whenBothDayFieldsAreRestrictedEitherDayMatches() {
        assertThat(next("0 0 13 * FRI", "2025-06-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo(at("2025-06-06T00:00:00Z"));
        assertThat(next("0 0 13 * FRI", "2025-06-12T00:00:00Z", ZoneOffset.UTC)).isEqualTo(at("2025-06-13T00:00:00Z"));
        assertThat(next("0 0 13 * *", "2025-06-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo(at("2025-06-13T00:00:00Z"));
    }

    @Test
    void sundayIsZeroSevenOrSunInAnyCase() {
        String after = "2025-06-02T00:00:00Z";
        Instant sunday = at("2025-06-08T00:00:00Z");

        assertThat(next("0 0 * * 0", after, ZoneOffset.UTC)).isEqualTo(sunday);
        assertThat(next("0 0 * * 7", after, ZoneOffset.UTC)).isEqualTo(sunday);
        assertThat(next("0 0 * * sun", after, ZoneOffset.UTC)).isEqualTo(sunday);
        assertThat(next("0 0 * * FRI-SUN", "2025-06-07T12:00:00Z", ZoneOffset.UTC)).isEqualTo(sunday);
    }

    @Test
    void stepsListsAndMonthNamesCombine() {
        assertThat(next("10-40/15 6,18 1 JAN,JUL *", "2025-01-01T06:40:00Z", ZoneOffset.UTC)).isEqualTo(at("2025-01-01T18:10:00Z"));
        assertThat(next("10-40/15 6,18 1 JAN,JUL *", "2025-01-01T18:40:00Z", ZoneOffset.UTC)).isEqualTo(at("2025-07-01T06:10:00Z"));
    }

    @Test
    void leapDayScheduleWaitsForTheNextLeapYear() {
        assertThat(next("0 0 29 2 *", "2025-01-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo(at("2028-02-29T00:00:00Z"));
        assertThat(next("0 0 29 2 *", "2096-03-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo(at("2104-02-29T00:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 24 * * *      | the hour field \"24\" is not valid: 24 is out of range; it allows 0-23",
            "60 * * * *      | the minute field \"60\" is not valid: 60 is out of range; it allows 0-59",
            "0 0 0 * *       | the day-of-month field \"0\" is not valid: 0 is out of range; it allows 1-31",
            "0 0 * 13 *      | the month field \"13\" is not valid: 13 is out of range; it allows 1-12 or JAN-DEC",
            "0 0 * JANU *    | the month field \"JANU\" is not valid: \"JANU\" is not a number or a month name (did you mean \"JAN\"?); it allows 1-12 or JAN-DEC",
            "0 0 * * 8       | the day-of-week field \"8\" is not valid: 8 is out of range; it allows 0-7 (0 and 7 are Sunday) or SUN-SAT",
            "0 5-2 * * *     | the hour field \"5-2\" is not valid: the range 5-2 runs backwards; write the smaller value first; it allows 0-23",
            "0 1,,2 * * *    | the hour field \"1,,2\" is not valid: an entry of the list is empty; it allows 0-23",
            "*/x * * * *     | the minute field \"*/x\" is not valid: the step \"x\" must be a whole number from 1; it allows 0-59",
            "0 0 31 APR,JUN * | the schedule never fires: no month in \"APR,JUN\" has a day in \"31\"",
            "0 0 * * * *     | a cron schedule has 5 fields, minute hour day-of-month month day-of-week; \"0 0 * * * *\" has 6",
            "@daily          | a cron schedule has 5 fields, minute hour day-of-month month day-of-week; \"@daily\" has 1"})
    void anInvalidScheduleSaysWhichFieldIsWrongAndWhatItAllows(String schedule, String message) {
        assertThatThrownBy(() -> CronSchedule.parse(schedule)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void aDayThatOnlySomeMonthsHaveIsFineAndRestrictedDaysOfWeekStillFire() {
        assertThat(CronSchedule.parse("0 0 31 * *").expression()).isEqualTo("0 0 31 * *");
        assertThat(next("0 0 30 FEB MON", "2025-06-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo(at("2026-02-02T00:00:00Z"));
    }

    @Test
    void schedulesAreEqualWhenWrittenAlike() {
        assertThat(CronSchedule.parse(" 0  3 * *   1-5 ")).isEqualTo(CronSchedule.parse("0 3 * * 1-5"))
                .hasToString("0 3 * * 1-5");
        assertThat(CronSchedule.parse("0 3 * * MON-FRI")).isNotEqualTo(CronSchedule.parse("0 3 * * 1-5"));
    }
}
