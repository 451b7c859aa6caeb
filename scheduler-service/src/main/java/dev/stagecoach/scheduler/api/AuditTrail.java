package dev.stagecoach.scheduler.api;

import dev.stagecoach.events.AuditAction;
import dev.stagecoach.events.AuditEntry;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.api.auth.Caller;
import dev.stagecoach.scheduler.api.auth.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes each privileged action the API accepted to the audit topic, with the token that asked
 * for it. Called once per action, by the instance that carries it out: a request forwarded to
 * the run's owner is recorded there, not by the instance that forwarded it.
 * <p>
 * A start retried with its {@code Idempotency-Key} is accepted again, by whichever instance
 * and after whatever restart, and so written again; both records carry the same entry id,
 * derived from the run id, and readers keep the first of an id ({@code AuditLog}).
 */
@ApplicationScoped
public class AuditTrail {

    @Inject
    EventPublisher publisher;
    @Inject
    StagecoachConfig config;
    @Inject
    Clock clock;
    @Inject
    CurrentCaller caller;

    /** What was done, to which pipeline (and run, and stage), by whom; the token comes from the request. */
    public record Action(AuditAction action, String pipeline, String runId, String stage, String by, String comment, String detail) {

        /**
         * The same for every record of this action: a start is one per run id (a retry derives
         * the same id from its key); any other action is its own, since repeating a cancel or
         * an approval is a second request that someone made.
         */
        String entryId() {
            return action == AuditAction.START && runId != null ? action.name() + ":" + runId : UUID.randomUUID().toString();
        }
    }

    public void record(Action action) {
        Optional<Caller> who = caller.get();
        publisher.publish(config.topics().audit(), action.pipeline(), AuditEntry.newBuilder()
                .setAt(clock.instant())
                .setToken(who.map(Caller::name).orElse(null))
                .setRole(who.map(c -> c.role().label()).orElse(null))
                .setBy(action.by() == null ? "" : action.by())
                .setAction(action.action())
                .setPipeline(action.pipeline())
                .setRunId(action.runId())
                .setStage(action.stage())
                .setComment(action.comment())
                .setDetail(action.detail())
                .setId(action.entryId())
                .build());
    }
}
