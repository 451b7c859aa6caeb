package dev.stagecoach.scheduler.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.CronSchedule;
import dev.stagecoach.pipeline.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronCalendarTest {

    private static final Trigger.Cron EVERY_MINUTE = cron("* * * * *", "UTC");
    private static final Instant REGISTERED = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void firesBetweenTwoInstantsExcludeTheFirstAndIncludeTheLast() {
        assertThat(CronCalendar.firesBetween(cron("*/15 * * * *", "UTC"),
                Instant.parse("2026-03-02T10:00:00Z"), Instant.parse("2026-03-02T10:45:00Z"), 10))
                .containsExactly(Instant.parse("2026-03-02T10:15:00Z"), Instant.parse("2026-03-02T10:30:00Z"),
                        Instant.parse("2026-03-02T10:45:00Z"));
    }

    @Test
    void scheduleIsReadOnTheWallClockOfItsZoneAcrossTheSpringForwardGap() {
        // Paris skips 02:00-03:00 on 2026-03-29: 02:30 local fires at 03:30 CEST, 01:30 UTC, as CronSchedule documents.
        Trigger.Cron paris = cron("30 2 * * *", "Europe/Paris");
        assertThat(CronCalendar.firesBetween(paris, Instant.parse("2026-03-27T00:00:00Z"), Instant.parse("2026-03-31T00:00:00Z"), 10))
                .containsExactly(
                        Instant.parse("2026-03-27T01:30:00Z"),  // 02:30 CET, UTC+1
                        Instant.parse("2026-03-28T01:30:00Z"),
                        Instant.parse("2026-03-29T01:30:00Z"),  // moved by the gap: 03:30 CEST
                        Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST, UTC+2
    }

    @Test
    void aFireTimeIsDueOnceTheClockPassedItAndOnlyOnceRequested() {
        CronCalendar calendar = new CronCalendar(Duration.ofHours(1));
        var schedule = new CronCalendar.Schedule("nightly", cron("0 3 * * *", "UTC"), REGISTERED);

        assertThat(calendar.due(List.of(schedule), Instant.parse("2026-03-02T02:59:59Z"))).isEmpty();
        calendar.ticked(Instant.parse("2026-03-02T02:59:59Z"));
        List<CronCalendar.Fire> due = calendar.due(List.of(schedule), Instant.parse("2026-03-02T03:00:00.400Z"));
        assertThat(due).extracting(CronCalendar.Fire::at).containsExactly(Instant.parse("2026-03-02T03:00:00Z"));
        assertThat(due.get(0).missed()).isZero();
        assertThat(due.get(0).requestedBy()).isEqualTo("cron:0 3 * * *");

        calendar.requested(due.get(0));
        calendar.ticked(Instant.parse("2026-03-02T03:00:00.400Z"));
        assertThat(calendar.due(List.of(schedule), Instant.parse("2026-03-02T03:00:01Z"))).isEmpty();
    }

    @Test
    void aFireTimeNotRequestedYetIsDueAgainAtTheNextTick() {
        CronCalendar calendar = new CronCalendar(Duration.ZERO);
        var schedule = new CronCalendar.Schedule("p", EVERY_MINUTE, REGISTERED);
        calendar.ticked(Instant.parse("2026-03-02T10:00:59Z"));
        assertThat(calendar.due(List.of(schedule), Instant.parse("2026-03-02T10:01:00Z"))).hasSize(1);
        // The broker did not take the request, so neither requested() nor ticked() was called.
        assertThat(calendar.due(List.of(schedule), Instant.parse("2026-03-02T10:01:01Z")))
                .extracting(CronCalendar.Fire::at).containsExactly(Instant.parse("2026-03-02T10:01:00Z"));
    }

    @Test
    void afterARestartOnlyTheLatestFireTimeWithinTheCatchUpWindowStarts() {
        CronCalendar restarted = new CronCalendar(Duration.ofHours(1));
        var schedule = new CronCalendar.Schedule("quarter-hourly", cron("*/15 * * * *", "UTC"), REGISTERED);

        List<CronCalendar.Fire> due = restarted.due(List.of(schedule), Instant.parse("2026-03-02T10:50:00Z"));

        assertThat(due).extracting(CronCalendar.Fire::at).containsExactly(Instant.parse("2026-03-02T10:45:00Z"));
        assertThat(due.get(0).missed()).isEqualTo(3); // 10:00, 10:15 and 10:30 coalesce into the 10:45 run
    }

    @Test
    void withoutCatchUpAFireTimeMissedBeforeTheRestartIsSkipped() {
        CronCalendar restarted = new CronCalendar(Duration.ZERO);
        var schedule = new CronCalendar.Schedule("quarter-hourly", cron("*/15 * * * *", "UTC"), REGISTERED);
        assertThat(restarted.due(List.of(schedule), Instant.parse("2026-03-02T10:50:00Z"))).isEmpty();
        restarted.ticked(Instant.parse("2026-03-02T10:50:00Z"));
        assertThat(restarted.due(List.of(schedule), Instant.parse("2026-03-02T11:00:00.200Z")))
                .extracting(CronCalendar.Fire::at).containsExactly(Instant.parse("2026-03-02T11:00:00Z"));
    }

    @Test
    void fireTimesBeforeTheRegistrationDoNotStartRuns() {
        CronCalendar calendar = new CronCalendar(Duration.ofHours(1));
        var justRegistered = new CronCalendar.Schedule("nightly", cron("0 3 * * *", "UTC"), Instant.parse("2026-03-02T03:05:00Z"));
        assertThat(calendar.due(List.of(justRegistered), Instant.parse("2026-03-02T03:06:00Z"))).isEmpty();
    }

    @Test
    void runIdDependsOnPipelineScheduleZoneAndFireTimeOnly() {
        Instant at = Instant.parse("2026-03-02T03:00:00Z");
        var fire = new CronCalendar.Fire(new CronCalendar.Schedule("p", EVERY_MINUTE, REGISTERED), at, 0);
        var sameCauseLaterRegistration = new CronCalendar.Fire(new CronCalendar.Schedule("p", EVERY_MINUTE, REGISTERED.plusSeconds(9)), at, 2);
        assertThat(fire.runId()).isEqualTo(sameCauseLaterRegistration.runId()).isEqualTo(CronCalendar.Fire.runId("p", EVERY_MINUTE, at));
        assertThat(CronCalendar.Fire.runId("p", cron("* * * * *", "Europe/Paris"), at)).isNotEqualTo(fire.runId());
        assertThat(CronCalendar.Fire.runId("q", EVERY_MINUTE, at)).isNotEqualTo(fire.runId());
        assertThat(CronCalendar.Fire.runId("p", EVERY_MINUTE, at.plusSeconds(60))).isNotEqualTo(fire.runId());
    }

    @Test
    void aChangedScheduleStartsAfreshFromItsRegistration() {
        CronCalendar calendar = new CronCalendar(Duration.ofHours(1));
        Instant now = Instant.parse("2026-03-02T10:00:30Z");
        calendar.due(List.of(new CronCalendar.Schedule("p", EVERY_MINUTE, REGISTERED)), now).forEach(calendar::requested);
        calendar.ticked(now);

        var changed = new CronCalendar.Schedule("p", cron("*/2 * * * *", "UTC"), now.plusMillis(200));
        assertThat(calendar.due(List.of(changed), now.plusSeconds(1))).isEmpty();
        calendar.ticked(now.plusSeconds(1));
        assertThat(calendar.due(List.of(changed), Instant.parse("2026-03-02T10:01:00.300Z"))).isEmpty();
        assertThat(calendar.due(List.of(changed), Instant.parse("2026-03-02T10:02:00.300Z"))).extracting(CronCalendar.Fire::at)
                .containsExactly(Instant.parse("2026-03-02T10:02:00Z"));
    }

    @Test
    void reRegisteringAnUnchangedScheduleJustAfterAFireTimeKeepsThatFireTime() {
        CronCalendar calendar = new CronCalendar(Duration.ofHours(1));
        calendar.due(List.of(new CronCalendar.Schedule("p", cron("0 3 * * *", "UTC"), REGISTERED)), Instant.parse("2026-03-02T02:59:59.500Z"));
        calendar.ticked(Instant.parse("2026-03-02T02:59:59.500Z"));
        var reRegistered = new CronCalendar.Schedule("p", cron("0 3 * * *", "UTC"), Instant.parse("2026-03-02T03:00:00.100Z"));
        assertThat(calendar.due(List.of(reRegistered), Instant.parse("2026-03-02T03:00:00.500Z"))).extracting(CronCalendar.Fire::at)
                .containsExactly(Instant.parse("2026-03-02T03:00:00Z"));
    }

    @Test
    void aRemovedScheduleStopsFiring() {
        CronCalendar calendar = new CronCalendar(Duration.ofHours(1));
        Instant now = Instant.parse("2026-03-02T10:00:30Z");
        assertThat(calendar.due(List.of(new CronCalendar.Schedule("p", EVERY_MINUTE, REGISTERED)), now)).hasSize(1);
        assertThat(calendar.due(List.of(), now.plusSeconds(60))).isEmpty();
    }

    @Test
    void theLatestFireTimeOfAWideWindowIsFoundWithoutWalkingIt() {
        Trigger.Cron yearly = cron("0 0 1 1 *", "UTC");
        assertThat(CronCalendar.latestFire(yearly, Instant.parse("2020-06-01T00:00:00Z"), Instant.parse("2026-03-02T00:00:00Z")))
                .contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(CronCalendar.latestFire(yearly, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-12-31T00:00:00Z")))
                .isEmpty();
    }

    private static Trigger.Cron cron(String expression, String zone) {
        return new Trigger.Cron(CronSchedule.parse(expression), ZoneId.of(zone));
    }
}
