package dev.stagecoach.scheduler.api;

import dev.stagecoach.events.Control;
import dev.stagecoach.events.ControlAction;
import dev.stagecoach.pipeline.ManualApproval;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.api.auth.CurrentCaller;
import dev.stagecoach.scheduler.api.auth.RequiresRole;
import dev.stagecoach.scheduler.api.auth.Role;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.engine.StageState;
import dev.stagecoach.scheduler.engine.StageStatus;
import dev.stagecoach.scheduler.report.RunReport;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.VIEWER)
public class RunResource {

    @Inject
    EngineStores stores;
    @Inject
    EventPublisher publisher;
    @Inject
    StagecoachConfig config;
    @Inject
    Clock clock;
    @Inject
    CurrentCaller caller;

    @GET
    @Path("/{runId}")
    public Response status(@PathParam("runId") String runId) {
        return stores.run(runId)
                .map(run -> Response.ok(RunView.of(run, definitionOf(run))).build())
                .orElseGet(() -> notFound(runId));
    }

    @GET
    @Path("/{runId}/report")
    @Produces("text/markdown")
    public Response report(@PathParam("runId") String runId) {
        return stores.run(runId)
                .map(run -> Response.ok(RunReport.render(run, definitionOf(run))).type("text/markdown; charset=utf-8").build())
                .orElseGet(() -> notFound(runId));
    }

    @POST
    @RequiresRole(Role.OPERATOR)
    @Path("/{runId}/cancel")
    public Response cancel(@PathParam("runId") String runId, Decision request) {
        return control(runId, ControlAction.CANCEL, request, (run, decision) -> run.status().isTerminal()
                ? "run " + runId + " already ended " + run.status() : null);
    }

    /** Approves a stage that waits for approval; {@code stage} and {@code by} are required. */
    @POST
    @RequiresRole(Role.OPERATOR)
    @Path("/{runId}/approve")
    public Response approve(@PathParam("runId") String runId, Decision request) {
        return control(runId, ControlAction.APPROVE, request, RunResource::approvalProblem);
    }

    @POST
    @RequiresRole(Role.OPERATOR)
    @Path("/{runId}/reject")
    public Response reject(@PathParam("runId") String runId, Decision request) {
        return control(runId, ControlAction.REJECT, request, RunResource::approvalProblem);
    }

    /** Runs a FAILED or CANCELLED run again: succeeded stages are kept, the rest run anew. */
    @POST
    @RequiresRole(Role.OPERATOR)
    @Path("/{runId}/resume")
    public Response resume(@PathParam("runId") String runId, Decision request) {
        return control(runId, ControlAction.RESUME, request, (run, decision) -> run.status().isResumable() ? null
                : "run " + runId + " is " + run.status() + "; only a FAILED or CANCELLED run can be resumed");
    }

    /** A person's instruction about a run: who gives it, about which stage, and why. */
    public record Decision(String stage, String by, String comment) {
    }

    /**
     * Checks what the API can check now (the engine checks again when the instruction arrives,
     * since the run may move on in between) and writes the instruction to the control topic.
     */
    private Response control(String runId, ControlAction action, Decision request, BiFunction<RunState, Decision, String> refusal) {
        var run = stores.run(runId);
        if (run.isEmpty()) {
            return notFound(runId);
        }
        String named = caller.speaksFor(request == null ? null : request.by());
        request = new Decision(request == null ? null : request.stage(), named, request == null ? null : request.comment());
        String problem = refusal.apply(run.get(), request);
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
        return Response.accepted(Map.of("runId", runId, "action", action.name(), "by", by)).build();
    }

    private static String approvalProblem(RunState run, Decision request) {
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

    private static PipelineDefinition definitionOf(RunState run) {
        return run.pipelineYaml() == null ? null
                : ShardExpansion.expand(PipelineLoader.load(run.pipelineYaml(), run.pipeline() + ".yaml").orThrow());
    }

    private static Response notFound(String runId) {
        return ApiErrors.of(Response.Status.NOT_FOUND, "no run " + runId
                + " (a run just requested appears within moments; otherwise check the id)", List.of());
    }
}
