package dev.stagecoach.scheduler.api;

import dev.stagecoach.events.AuditAction;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.pipeline.Diagnostic;
import dev.stagecoach.pipeline.InvalidParametersException;
import dev.stagecoach.pipeline.LoadResult;
import dev.stagecoach.pipeline.ParameterBinder;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.api.auth.Caller;
import dev.stagecoach.scheduler.api.auth.CurrentCaller;
import dev.stagecoach.scheduler.api.auth.RequiresRole;
import dev.stagecoach.scheduler.api.auth.Role;
import dev.stagecoach.scheduler.observe.RunObservers;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;
import dev.stagecoach.scheduler.topics.CommandTopicException;
import dev.stagecoach.scheduler.topics.CommandTopics;
import dev.stagecoach.scheduler.triggers.RunIds;
import dev.stagecoach.scheduler.triggers.TriggeredRuns;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

@Path("/api/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.VIEWER)
public class PipelineResource {

    /** A registration returns once the engine can see it, so a run started right after finds it. */
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);

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
    @Inject
    TriggeredRuns runs;
    @Inject
    CommandTopics commandTopics;
    @Inject
    PipelineRevisions revisions;
    @Inject
    RunObservers observers;
    @Inject
    AuditTrail audit;

    public record Registered(String name, int revision, String sha256, List<String> warnings) {
    }

    public record StartRun(Map<String, String> parameters, String requestedBy) {
    }

    public record RunStarted(String runId, String pipeline, int revision, String statusUrl, String reportUrl) {

        static RunStarted of(String runId, PipelineRegistered pipeline) {
            return new RunStarted(runId, pipeline.getName(), pipeline.getRevision(), "/api/runs/" + runId, "/api/runs/" + runId + "/report");
        }
    }

    public record PipelineSummary(String name, int revision, String sha256, Instant registeredAt) {
    }

    @POST
    @RequiresRole(Role.ADMIN)
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    public Response register(String yaml, @QueryParam("file") String file) {
        LoadResult loaded = PipelineLoader.load(yaml, file == null || file.isBlank() ? "pipeline.yaml" : file);
        if (!loaded.ok()) {
            return ApiErrors.of(Response.Status.BAD_REQUEST, "the pipeline is not valid",
                    loaded.errors().stream().map(Diagnostic::toString).toList());
        }
        PipelineDefinition definition = loaded.orThrow();
        caller.requireReach(definition.name());
        // Before the registration is published: a run of it dispatches to these topics at once.
        try {
            commandTopics.ensureFor(definition);
        } catch (CommandTopicException e) {
            return ApiErrors.of(e.invalidName() ? Response.Status.BAD_REQUEST : Response.Status.SERVICE_UNAVAILABLE,
                    "the pipeline is not registered: " + e.getMessage(), List.of());
        }
        String sha = sha256(yaml);
        var current = stores.pipeline(definition.name());
        if (current.isPresent() && current.get().getSha256().equals(sha)) {
            return Response.ok(new Registered(definition.name(), current.get().getRevision(), sha, warnings(loaded))).build();
        }
        int revision = current.map(p -> p.getRevision() + 1).orElse(1);
        publisher.publish(config.topics().pipelines(), definition.name(), PipelineRegistered.newBuilder()
                .setName(definition.name()).setRevision(revision).setYaml(yaml).setSha256(sha)
                .setRegisteredAt(clock.instant()).build());
        audit.record(new AuditTrail.Action(AuditAction.REGISTER, definition.name(), null, null,
                caller.get().map(Caller::name).orElse("api"), null, "revision " + revision + ", sha256 " + sha));
        awaitVisible(definition.name(), sha);
        return Response.status(Response.Status.CREATED)
                .entity(new Registered(definition.name(), revision, sha, warnings(loaded))).build();
    }

    /**
     * Starts a run. With an {@code Idempotency-Key} header the run id derives from the key,
     * so a client that retries the request starts one run, not two.
     */
    @POST
    @RequiresRole(Role.OPERATOR)
    @Path("/{name}/runs")
    public Response start(@PathParam("name") String name, StartRun request,
                          @HeaderParam("Idempotency-Key") String idempotencyKey) {
        caller.requireReach(name);
        var registered = stores.pipeline(name);
        if (registered.isEmpty()) {
            return ApiErrors.of(Response.Status.NOT_FOUND, "no pipeline named \"" + name + "\" is registered", List.of());
        }
        PipelineDefinition definition = revisions.declared(name, registered.get().getRevision(), registered.get().getYaml());
        Map<String, String> given = request == null || request.parameters() == null ? Map.of() : request.parameters();
        try {
            ParameterBinder.bind(definition, given);
        } catch (InvalidParametersException e) {
            return ApiErrors.of(Response.Status.BAD_REQUEST, "the parameters do not fit pipeline \"" + name + "\"", e.problems());
        }
        String runId = idempotencyKey == null || idempotencyKey.isBlank()
                ? UUID.randomUUID().toString()
                : RunIds.derive(name, idempotencyKey);
        String requestedBy = caller.requester(request == null ? null : request.requestedBy());
        try {
            runs.request(runId, definition, given, TriggerType.MANUAL, requestedBy == null ? "api" : requestedBy);
        } catch (TriggeredRuns.CannotSealException e) {
            return ApiErrors.of(Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), List.of());
        }
        // The parameters' names only: a secret parameter's value must not reach the audit topic.
        audit.record(new AuditTrail.Action(AuditAction.START, name, runId, null, requestedBy == null ? "api" : requestedBy, null,
                "revision " + registered.get().getRevision() + (given.isEmpty() ? "" : ", parameters " + String.join(", ", new java.util.TreeSet<>(given.keySet())))));
        return Response.accepted(RunStarted.of(runId, registered.get())).build();
    }

    /** Every registered pipeline the caller may reach, with its triggers, next cron fire, last run and parameters, by name. */
    @GET
    public List<PipelineOverview> list() {
        Instant now = clock.instant();
        return stores.pipelines().stream()
                .filter(p -> caller.reaches(p.getName()))
                .sorted(java.util.Comparator.comparing(PipelineRegistered::getName))
                .map(p -> PipelineOverview.of(p, revisions.loaded(p.getName(), p.getRevision(), p.getYaml()).definition().orElse(null),
                        observers.catalog().latest(p.getName()).orElse(null), now))
                .toList();
    }

    @GET
    @Path("/{name}")
    public Response get(@PathParam("name") String name) {
        caller.requireReach(name);
        return stores.pipeline(name)
                .map(p -> Response.ok(Map.of("summary", summary(p), "yaml", p.getYaml())).build())
                .orElseGet(() -> ApiErrors.of(Response.Status.NOT_FOUND, "no pipeline named \"" + name + "\" is registered", List.of()));
    }

    private void awaitVisible(String name, String sha) {
        Instant giveUp = clock.instant().plus(VISIBLE_WITHIN);
        while (stores.pipeline(name).filter(p -> p.getSha256().equals(sha)).isEmpty()) {
            if (clock.instant().isAfter(giveUp)) {
                throw new EngineNotReadyException("pipeline " + name + " was written but the engine has not read it within "
                        + VISIBLE_WITHIN.toSeconds() + " s");
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private static List<String> warnings(LoadResult loaded) {
        return loaded.warnings().stream().map(Diagnostic::toString).toList();
    }

    private static PipelineSummary summary(PipelineRegistered p) {
        return new PipelineSummary(p.getName(), p.getRevision(), p.getSha256(), p.getRegisteredAt());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
