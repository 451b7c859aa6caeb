package dev.stagecoach.scheduler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.events.AuditAction;
import dev.stagecoach.events.Control;
import dev.stagecoach.events.ControlAction;
import dev.stagecoach.pipeline.ManualApproval;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.api.auth.CurrentCaller;
import dev.stagecoach.scheduler.api.auth.RequiresRole;
import dev.stagecoach.scheduler.api.auth.Role;
import dev.stagecoach.scheduler.cluster.RunRouting.Access;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.engine.StageState;
import dev.stagecoach.scheduler.engine.StageStatus;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;
import dev.stagecoach.scheduler.report.ReportHtml;
import dev.stagecoach.scheduler.report.RunReport;
import dev.stagecoach.scheduler.observe.LogArchive;
import dev.stagecoach.scheduler.observe.Progress;
import dev.stagecoach.scheduler.observe.RunEventView;
import dev.stagecoach.scheduler.observe.RunObservers;
import dev.stagecoach.scheduler.observe.RunQuery;
import dev.stagecoach.scheduler.observe.RunSummary;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.VIEWER)
public class RunResource {

    /** How many of a pipeline's latest successful runs estimate how long a run of it takes. */
    private static final int HISTORY_FOR_ESTIMATES = 10;
    private static final Duration LINES_AFTER_END = Duration.ofSeconds(2);

    @Inject
    RunRouter router;
    @Inject
    ObjectMapper json;
    @Inject
    EventPublisher publisher;
    @Inject
    StagecoachConfig config;
    @Inject
    Clock clock;
    @Inject
    CurrentCaller caller;
    @Inject
    PipelineRevisions revisions;
    @Inject
    RunObservers observers;
    @Inject
    AuditTrail audit;

    /** Runs newest first, filtered; each page names the cursor of the next one. */
    @GET
    public Response list(@QueryParam("pipeline") String pipeline, @QueryParam("status") String status,
                         @QueryParam("trigger") String trigger, @QueryParam("since") String since,
                         @QueryParam("until") String until, @QueryParam("limit") String limit,
                         @QueryParam("cursor") String cursor) {
        try {
            RunQuery query = RunFilters.read(pipeline, status, trigger, since, until, limit, cursor, clock.instant());
            return Response.ok(observers.catalog().page(query, run -> caller.reaches(run.pipeline()))).build();
        } catch (RunFilters.InvalidFilterException e) {
            return ApiErrors.of(Response.Status.BAD_REQUEST, e.getMessage(), e.problems);
        }
    }

    @GET
    @Path("/{runId}")
    public Response status(@PathParam("runId") String runId, @Context HttpHeaders headers, @Context UriInfo uri) {
        return router.answer(runId, Access.READ, incoming("GET", uri, headers, null), found -> found
                .map(run -> {
                    caller.requireReach(run.pipeline());
                    PipelineDefinition definition = definitionOf(run);
                    // Expanded once for both: a run of 1,000 shards is polled every 250 ms by `run --wait`.
                    PipelineDefinition expanded = definition == null ? null : ShardExpansion.expand(definition);
                    Progress progress = Progress.of(run, expanded,
                            observers.catalog().recentSuccesses(run.pipeline(), HISTORY_FOR_ESTIMATES), clock.instant());
                    return Response.ok(RunView.of(run, definition, expanded, progress)).build();
                })
                .orElseGet(() -> notFound(runId)));
    }

    /**
     * The lines a stage printed: one attempt's ({@code attempt}, by default its latest), or with
     * no {@code stage} every attempt of the run that printed something.
     */
    @GET
    @Path("/{runId}/logs")
    public Response logs(@PathParam("runId") String runId, @QueryParam("stage") String stage, @QueryParam("attempt") Integer attempt) {
        requireReachOfRun(runId);
        LogArchive logs = observers.logs();
        if (stage == null || stage.isBlank()) {
            return Response.ok(Map.of("runId", runId, "attempts", logs.attempts(runId, null))).build();
        }
        return logs.attempt(runId, stage, attempt)
                .map(found -> Response.ok(found).build())
                .orElseGet(() -> ApiErrors.of(Response.Status.NOT_FOUND, "run " + runId + " has no output of stage \"" + stage + "\""
                        + (attempt == null ? "" : ", attempt " + attempt) + " (yet)", List.of()));
    }

    /** The lines of the run's stages (of {@code stage} only, if given): those kept, then each as it is printed, until the run ends. */
    @GET
    @Path("/{runId}/logs/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<LogArchive.Chunk> followLogs(@PathParam("runId") String runId, @QueryParam("stage") String stage) {
        requireReachOfRun(runId);
        String only = stage == null || stage.isBlank() ? null : stage;
        return Multi.createFrom().emitter(emitter -> {
            var lines = observers.logs().follow(runId, only).subscribe().with(emitter::emit, emitter::fail);
            // The last lines may be read a moment after the run's end: the logs are another topic.
            Runnable stopWaiting = observers.catalog().whenEnded(runId, () -> Uni.createFrom().voidItem()
                    .onItem().delayIt().by(LINES_AFTER_END).subscribe().with(done -> emitter.complete()));
            emitter.onTermination(() -> {
                lines.cancel();
                stopWaiting.run();
            });
        });
    }

    /** The run's events as they happen, until it ends (at once, if it has ended). */
    @GET
    @Path("/{runId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<RunEventView> events(@PathParam("runId") String runId) {
        requireReachOfRun(runId);
        if (observers.catalog().run(runId).filter(RunSummary::ended).isPresent()) {
            return Multi.createFrom().empty();
        }
        return observers.events(event -> event.runId().equals(runId), RunEventView::endsRun);
    }

    @GET
    @Path("/{runId}/report")
    @Produces("text/markdown")
    public Response report(@PathParam("runId") String runId, @Context HttpHeaders headers, @Context UriInfo uri) {
        return router.answer(runId, Access.READ, incoming("GET", uri, headers, null), found -> found
                .map(run -> {
                    caller.requireReach(run.pipeline());
                    return Response.ok(RunReport.render(run, definitionOf(run))).type("text/markdown; charset=utf-8").build();
                })
                .orElseGet(() -> notFound(runId)));
    }

    /** The same report as HTML (raw HTML in stage output is escaped), for the dashboard. */
    @GET
    @Path("/{runId}/report/html")
    @Produces(MediaType.TEXT_HTML)
    public Response reportHtml(@PathParam("runId") String runId, @Context HttpHeaders headers, @Context UriInfo uri) {
        return router.answer(runId, Access.READ, incoming("GET", uri, headers, null), found -> found
                .map(run -> {
                    caller.requireReach(run.pipeline());
                    return Response.ok(ReportHtml.of(RunReport.render(run, definitionOf(run)))).type("text/html; charset=utf-8").build();
                })
                .orElseGet(() -> notFound(runId)));
    }

    @POST
    @RequiresRole(Role.OPERATOR)
    @Path("/{runId}/cancel")
    public Response cancel(@PathParam("runId") String runId, ControlRequest request, @Context HttpHeaders headers, @Context UriInfo uri) {
        return control(runId, ControlAction.CANCEL, request, incoming("POST", uri, headers, request),
                (run, decision) -> run.status().isTerminal() ? "run " + runId + " already ended " + run.status() : null);
    }

    /** Approves a stage that waits for approval; {@code stage} and {@code by} are required. */
    @POST
    @RequiresRole(Role.OPERATOR)
    @Path("/{runId}/approve")
    public Response approve(@PathParam("runId") String runId, ControlRequest request, @Context HttpHeaders headers, @Context UriInfo uri) {
        return control(runId, ControlAction.APPROVE, request, incoming("POST", uri, headers, request), this::approvalProblem);
    }

    @POST
    @RequiresRole(Role.OPERATOR)
    @Path("/{runId}/reject")
    public Response reject(@PathParam("runId") String runId, ControlRequest request, @Context HttpHeaders headers, @Context UriInfo uri) {
        return control(runId, ControlAction.REJECT, request, incoming("POST", uri, headers, request), this::approvalProblem);
    }

    /** Runs a FAILED or CANCELLED run again: succeeded stages are kept, the rest run anew. */
    @POST
    @RequiresRole(Role.OPERATOR)
    @Path("/{runId}/resume")
    public Response resume(@PathParam("runId") String runId, ControlRequest request, @Context HttpHeaders headers, @Context UriInfo uri) {
        return control(runId, ControlAction.RESUME, request, incoming("POST", uri, headers, request),
                (run, decision) -> resumeProblem(run));
    }

    /** A person's instruction about a run: who gives it, about which stage, and why. */
    public record ControlRequest(String stage, String by, String comment) {
    }

    /**
     * Checks what the API can check now (the engine checks again when the instruction arrives,
     * since the run may move on in between) and writes the instruction to the control topic.
     */
    private Response control(String runId, ControlAction action, ControlRequest request, RunRouter.Incoming incoming,
                             BiFunction<RunState, ControlRequest, String> refusal) {
        // Checked by the instance that owns the run, whose state is the freshest there is.
        return router.answer(runId, Access.CHANGE, incoming, run -> run.isEmpty() ? notFound(runId)
                : controlChecked(runId, action, run.get(), request, refusal));
    }

    private Response controlChecked(String runId, ControlAction action, RunState run, ControlRequest request,
                                    BiFunction<RunState, ControlRequest, String> refusal) {
        caller.requireReach(run.pipeline());
        String named = caller.speaksFor(request == null ? null : request.by());
        request = new ControlRequest(request == null ? null : request.stage(), named, request == null ? null : request.comment());
        String problem = refusal.apply(run, request);
        if (problem != null) {
            return ApiErrors.of(Response.Status.CONFLICT, problem, List.of());
        }
        String by = request.by() == null || request.by().isBlank() ? "api" : request.by();
        publisher.publish(config.topics().control(), runId, Control.newBuilder()
                .setRunId(runId).setAction(action)
                .setStage(request.stage())
                .setBy(by)
                .setComment(request.comment())
                .setAt(clock.instant()).build());
        // Here, where the Control is written: a forwarded request is recorded by the run's owner only.
        audit.record(new AuditTrail.Action(AuditAction.valueOf(action.name()), run.pipeline(), runId, request.stage(), by,
                request.comment(), null));
        return Response.accepted(Map.of("runId", runId, "action", action.name(), "by", by)).build();
    }

    /**
     * Logs and events are read from topics, not the engine's store: the run's pipeline comes
     * from the catalog. A limited token is refused a run the catalog does not know yet, since
     * nothing says that it may see it.
     */
    private void requireReachOfRun(String runId) {
        caller.get().ifPresent(who -> {
            if (!who.scope().unlimited()) {
                who.requireReach(observers.catalog().run(runId).map(RunSummary::pipeline)
                        .orElse("(unknown: run " + runId + " is not in the run list yet)"));
            }
        });
    }

    /** The request as it came, for forwarding: the body is the decision as given, before any name was filled in. */
    private RunRouter.Incoming incoming(String method, UriInfo uri, HttpHeaders headers, ControlRequest body) {
        Map<String, String> firstValues = new LinkedHashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                firstValues.put(name, values.get(0));
            }
        });
        String query = uri.getRequestUri().getRawQuery();
        String pathAndQuery = uri.getRequestUri().getRawPath() + (query == null ? "" : "?" + query);
        try {
            return new RunRouter.Incoming(method, pathAndQuery, firstValues, body == null ? null : json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the decision " + body + " as JSON", e);
        }
    }

    private String approvalProblem(RunState run, ControlRequest request) {
        if (request == null || request.stage() == null || request.stage().isBlank()) {
            return "say which stage: {\"stage\": \"deploy\", \"by\": \"alice\"}";
        }
        StageState stage = run.stage(request.stage());
        if (stage == null) {
            return "run " + run.runId() + " has no stage \"" + request.stage() + "\"; it has " + String.join(", ", run.stages().keySet());
        }
        if (stage.status() != StageStatus.AWAITING_APPROVAL || stage.approval() != null) {
            return "stage \"" + request.stage() + "\" does not wait for approval; it is " + stage.status();
        }
        ManualApproval rule = definitionOf(run).stage(request.stage()).map(StageSpec::manualApproval).orElse(null);
        String by = request.by() == null ? "api" : request.by();
        if (rule != null && !rule.allows(by)) {
            return by + " may not decide about stage \"" + request.stage() + "\"; its approvers are " + String.join(", ", rule.approvers());
        }
        return null;
    }

    /** What the engine would refuse about resuming {@code run}, or null. */
    private static String resumeProblem(RunState run) {
        if (!run.status().isResumable()) {
            return "run " + run.runId() + " is " + run.status() + "; only a FAILED or CANCELLED run can be resumed";
        }
        if (run.pipelineYaml() == null || run.stages().isEmpty()) {
            return "run " + run.runId() + " never started a stage (" + run.reason() + "); start a new run instead";
        }
        return null;
    }

    /**
     * The run's pipeline revision as declared (a shard's name finds its stage), or null when the
     * run has none or it no longer loads: the run's own state is still served.
     */
    private PipelineDefinition definitionOf(RunState run) {
        if (run.pipelineYaml() == null) {
            return null;
        }
        return revisions.loaded(run.pipeline(), run.pipelineRevision(), run.pipelineYaml()).definition().orElse(null);
    }

    private static Response notFound(String runId) {
        return ApiErrors.of(Response.Status.NOT_FOUND, "no run " + runId
                + " (a run just requested appears within moments; otherwise check the id)", List.of());
    }
}
