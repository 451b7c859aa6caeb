package dev.stagecoach.scheduler.api;

import dev.stagecoach.events.Control;
import dev.stagecoach.events.ControlAction;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.engine.RunState;
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

@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    @Inject
    EngineStores stores;
    @Inject
    EventPublisher publisher;
    @Inject
    StagecoachConfig config;
    @Inject
    Clock clock;

    public record CancelRun(String by, String comment) {
    }

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
    @Path("/{runId}/cancel")
    public Response cancel(@PathParam("runId") String runId, CancelRun request) {
        if (stores.run(runId).isEmpty()) {
            return notFound(runId);
        }
        publisher.publish(config.topics().control(), runId, Control.newBuilder()
                .setRunId(runId).setAction(ControlAction.CANCEL)
                .setBy(request == null || request.by() == null ? "api" : request.by())
                .setComment(request == null ? null : request.comment())
                .setAt(clock.instant()).build());
        return Response.accepted(Map.of("runId", runId, "action", "CANCEL")).build();
    }

    private static PipelineDefinition definitionOf(RunState run) {
        return run.pipelineYaml() == null ? null : PipelineLoader.load(run.pipelineYaml(), run.pipeline() + ".yaml").orThrow();
    }

    private static Response notFound(String runId) {
        return ApiErrors.of(Response.Status.NOT_FOUND, "no run " + runId
                + " (a run just requested appears within moments; otherwise check the id)", List.of());
    }
}
