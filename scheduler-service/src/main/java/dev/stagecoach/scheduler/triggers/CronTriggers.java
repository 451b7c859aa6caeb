package dev.stagecoach.scheduler.triggers;

import dev.stagecoach.events.TriggerType;
import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.api.EngineNotReadyException;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Starts the runs of every registered pipeline's cron triggers. Each tick reads the current
 * registrations, so a re-registered pipeline ticks on its new schedule and a removed trigger
 * stops; {@link CronCalendar} decides what is due. Every scheduler instance ticks: they
 * request the same run ids, and the engine starts each run once.
 */
@ApplicationScoped
public class CronTriggers {

    private static final Logger LOG = Logger.getLogger(CronTriggers.class);

    @Inject
    RegisteredPipelines pipelines;
    @Inject
    TriggeredRuns runs;
    @Inject
    StagecoachConfig config;
    @Inject
    Clock clock;

    private CronCalendar calendar;

    @PostConstruct
    void init() {
        calendar = new CronCalendar(config.triggers().cron().catchUpWindow());
    }

    @Scheduled(every = "${stagecoach.triggers.cron.tick}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            tick(clock.instant());
        } catch (EngineNotReadyException e) {
            LOG.debugf("cron tick skipped: %s", e.getMessage());
        }
    }

    /** Requests the runs due at {@code now}; returns once the broker has them. */
    public void tick(Instant now) {
        List<CronCalendar.Schedule> schedules = new ArrayList<>();
        for (RegisteredPipelines.Registered pipeline : pipelines.all()) {
            pipeline.triggers(Trigger.Cron.class).forEach(cron -> schedules.add(new CronCalendar.Schedule(pipeline.name(), cron, pipeline.registeredAt())));
        }
        for (CronCalendar.Fire fire : calendar.due(schedules, now)) {
            if (fire.missed() > 0) {
                LOG.warnf("pipeline %s: %d earlier fire times of \"%s\" were missed while no scheduler ran; starting the latest only, %s",
                        fire.pipeline(), fire.missed(), fire.schedule().cron().schedule(), fire.at());
            }
            runs.requestWithDefaults(fire.runId(), fire.pipeline(), TriggerType.CRON, fire.requestedBy());
            calendar.requested(fire);
            LOG.infof("run=%s pipeline=%s requested by %s for %s", fire.runId(), fire.pipeline(), fire.requestedBy(), fire.at());
        }
        calendar.ticked(now);
    }
}
