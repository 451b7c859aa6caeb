package dev.stagecoach.scheduler.api;

import dev.stagecoach.events.AuditEntry;
import dev.stagecoach.scheduler.api.auth.CurrentCaller;
import dev.stagecoach.scheduler.api.auth.RequiresRole;
import dev.stagecoach.scheduler.api.auth.Role;
import dev.stagecoach.scheduler.observe.RunObservers;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Who registered, started, cancelled, approved, rejected and resumed what: the newest audit
 * entries, newest first. An operator answers for the pipelines it acts on, so it reads their
 * trail too; a token limited to some pipelines sees their entries only, as it sees only their runs.
 */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.OPERATOR)
public class AuditResource {

    @Inject
    RunObservers observers;
    @Inject
    Clock clock;
    @Inject
    CurrentCaller caller;

    /** One audit entry as JSON: the Avro record's fields, with plain strings. */
    public record AuditView(Instant at, String token, String role, String by, String action, String pipeline,
                            String runId, String stage, String comment, String detail, String id) {

        static AuditView of(AuditEntry entry) {
            return new AuditView(entry.getAt(), entry.getToken(), entry.getRole(), entry.getBy(), entry.getAction().name(),
                    entry.getPipeline(), entry.getRunId(), entry.getStage(), entry.getComment(), entry.getDetail(), entry.getId());
        }
    }

    @GET
    public Response list(@QueryParam("since") String since, @QueryParam("pipeline") String pipeline, @QueryParam("limit") String limit) {
        try {
            RunFilters.AuditWindow window = RunFilters.readAudit(since, limit, clock.instant());
            String named = pipeline == null || pipeline.isBlank() ? null : pipeline.trim();
            if (named != null) {
                // Asking for a pipeline out of reach is refused, as its runs are, rather than answered with nothing.
                caller.requireReach(named);
            }
            List<AuditView> entries = observers.audit()
                    .newest(window.since(), named, caller::reaches, window.limit())
                    .stream().map(AuditView::of).toList();
            return Response.ok(Map.of("entries", entries)).build();
        } catch (RunFilters.InvalidFilterException e) {
            return ApiErrors.of(Response.Status.BAD_REQUEST, "the audit list's parameters are not valid", e.problems);
        }
    }
}
