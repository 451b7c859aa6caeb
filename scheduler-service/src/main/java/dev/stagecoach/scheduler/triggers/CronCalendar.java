package dev.stagecoach.scheduler.triggers;

import dev.stagecoach.pipeline.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which cron fire times are due at a tick. A fire time is due once the clock has passed it,
 * if it lies after the last completed tick or within the catch-up window, after the last
 * fire time requested for the same schedule, and, for a schedule this calendar sees for the
 * first time, after the registration that brought it (a re-registration that keeps a
 * schedule does not move it). Of
 * several due fire times only the latest is requested: fire times missed while no scheduler
 * ran coalesce into one run, as a Kubernetes CronJob starts only its most recent missed
 * schedule. Nothing here is persistent: after a restart the catch-up window is searched
 * again, and a fire time requested before the restart gets the same run id, which the
 * engine ignores.
 */
public final class CronCalendar {

    // Counting missed fire times is for the log line only; a wide window over a dense schedule must not cost a tick.
    private static final int MISSED_COUNTED_AT_MOST = 1_000;

    /** A cron trigger of a registered pipeline, and when that registration was made. */
    public record Schedule(String pipeline, Trigger.Cron cron, Instant registeredAt) {

        String key() {
            return pipeline + "\n" + cron.schedule().expression() + "\n" + cron.zone().getId();
        }
    }

    /** @param missed how many earlier due fire times were passed over for this one (counted up to 1,000) */
    public record Fire(Schedule schedule, Instant at, int missed) {

        public String pipeline() {
            return schedule.pipeline();
        }

        public String runId() {
            return runId(schedule.pipeline(), schedule.cron(), at);
        }

        public String requestedBy() {
            return "cron:" + schedule.cron().schedule().expression();
        }

        public static String runId(String pipeline, Trigger.Cron cron, Instant at) {
            return RunIds.derive(pipeline, "cron", cron.schedule().expression(), cron.zone().getId(), at.toString());
        }
    }

    private final Duration catchUpWindow;
    // Per schedule, the instant up to which its fire times are dealt with: the last one requested,
    // or, before any, the registration that brought the schedule.
    private final Map<String, Instant> doneUpTo = new HashMap<>();
    private Instant lastTick;

    public CronCalendar(Duration catchUpWindow) {
        this.catchUpWindow = catchUpWindow;
    }

    /** The fire times due at {@code now}, at most one per schedule. */
    public synchronized List<Fire> due(Collection<Schedule> schedules, Instant now) {
        // A schedule that was removed or changed is forgotten, so that one put back starts afresh.
        Set<String> current = schedules.stream().map(Schedule::key).collect(Collectors.toSet());
        doneUpTo.keySet().retainAll(current);
        Instant caughtUpTo = now.minus(catchUpWindow);
        Instant windowStart = lastTick != null && lastTick.isBefore(caughtUpTo) ? lastTick : caughtUpTo;
        List<Fire> due = new ArrayList<>();
        for (Schedule schedule : schedules) {
            Instant from = later(windowStart, doneUpTo.computeIfAbsent(schedule.key(), k -> schedule.registeredAt()));
            latestFire(schedule.cron(), from, now).ifPresent(at -> due.add(
                    new Fire(schedule, at, firesBetween(schedule.cron(), from, at, MISSED_COUNTED_AT_MOST).size() - 1)));
        }
        return due;
    }

    /** Remembers that every fire due at {@code now} was requested, so that the next tick looks back to here at least. */
    public synchronized void ticked(Instant now) {
        if (lastTick == null || now.isAfter(lastTick)) {
            lastTick = now;
        }
    }

    /** Remembers that the run of {@code fire} was requested (the broker has it), so later ticks do not request it again. */
    public synchronized void requested(Fire fire) {
        doneUpTo.merge(fire.schedule().key(), fire.at(), CronCalendar::later);
    }

    /** The fire times in {@code (from, to]}, oldest first, at most {@code atMost} of them. */
    public static List<Instant> firesBetween(Trigger.Cron cron, Instant from, Instant to, int atMost) {
        List<Instant> fires = new ArrayList<>();
        for (Instant at = cron.nextAfter(from); !at.isAfter(to) && fires.size() < atMost; at = cron.nextAfter(at)) {
            fires.add(at);
        }
        return fires;
    }

    /**
     * The last fire time in {@code (from, to]}. Looks back from {@code to} in doubling steps,
     * so a wide window over an every-minute schedule costs a few steps, not one per minute.
     */
    static Optional<Instant> latestFire(Trigger.Cron cron, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Optional.empty();
        }
        for (Duration back = Duration.ofMinutes(1); ; back = back.multipliedBy(2)) {
            Instant start = later(from, to.minus(back));
            Instant first = cron.nextAfter(start);
            if (!first.isAfter(to)) {
                Instant latest = first;
                for (Instant next = cron.nextAfter(first); !next.isAfter(to); next = cron.nextAfter(next)) {
                    latest = next;
                }
                return Optional.of(latest);
            }
            if (start.equals(from)) {
                return Optional.empty();
            }
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
