package dev.stagecoach.scheduler.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.pipeline.InvalidParametersException;
import dev.stagecoach.pipeline.ParameterBinder;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.scheduler.DeploymentSecrets;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;
import dev.stagecoach.scheduler.triggers.JsonDocuments;
import dev.stagecoach.scheduler.triggers.PayloadParameters;
import dev.stagecoach.scheduler.triggers.TriggeredRuns;
import dev.stagecoach.scheduler.triggers.WebhookVerifier;
import dev.stagecoach.scheduler.triggers.WebhookVerifier.Outcome;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A pipeline's webhook: another system POSTs JSON, signed the way GitHub signs its webhooks
 * (or with a signed timestamp), and a run starts with parameters taken from the body as the
 * trigger's {@code params} say. Nothing in the body is looked at before the signature proves
 * the sender knows the secret, and until it has, every refusal is the same 401: an unknown
 * pipeline, a missing secret and a wrong signature look alike, so that neither pipeline names
 * nor the scheduler's configuration can be probed. The operator's log says which it was.
 */
@Path("/api/hooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    public static final String SIGNATURE = "X-Stagecoach-Signature";
    public static final String GITHUB_SIGNATURE = "X-Hub-Signature-256";
    public static final String DELIVERY = "X-Stagecoach-Delivery";
    public static final String GITHUB_DELIVERY = "X-GitHub-Delivery";
    public static final String TIMESTAMP = "X-Stagecoach-Timestamp";

    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    @Inject
    EngineStores stores;
    @Inject
    DeploymentSecrets secrets;
    @Inject
    TriggeredRuns runs;
    @Inject
    PipelineRevisions revisions;
    @Inject
    Clock clock;
    /** How far a signed timestamp may lie from this scheduler's clock, either way. */
    @ConfigProperty(name = "stagecoach.webhooks.tolerance", defaultValue = "5m")
    Duration tolerance;

    @POST
    @Path("/{pipeline}")
    @Consumes(MediaType.WILDCARD)
    public Response deliver(@PathParam("pipeline") String name, byte[] body,
                            @HeaderParam(SIGNATURE) String signature, @HeaderParam(GITHUB_SIGNATURE) String githubSignature,
                            @HeaderParam(TIMESTAMP) String timestamp,
                            @HeaderParam(DELIVERY) String delivery, @HeaderParam(GITHUB_DELIVERY) String githubDelivery) {
        var registered = stores.pipeline(name);
        if (registered.isEmpty()) {
            return unauthorized(name, "no pipeline of that name is registered");
        }
        PipelineDefinition definition = revisions.declared(name, registered.get().getRevision(), registered.get().getYaml());
        List<Trigger.Webhook> webhooks = definition.triggers().stream()
                .filter(Trigger.Webhook.class::isInstance).map(Trigger.Webhook.class::cast).toList();
        var sent = new WebhookVerifier.Delivery(body, signature != null ? signature : githubSignature, timestamp,
                delivery != null && !delivery.isBlank() ? delivery : githubDelivery);
        Outcome outcome = new WebhookVerifier(secrets, clock, tolerance).check(webhooks, sent);
        if (outcome instanceof Outcome.Refused refused) {
            return unauthorized(name, refused.reason());
        }
        if (outcome instanceof Outcome.Unidentified) {
            // The sender has proven it knows the secret, so it may be told what is missing.
            return ApiErrors.of(Response.Status.BAD_REQUEST, "the delivery cannot be told from a replay of it: send a delivery id in "
                    + DELIVERY + " (or " + GITHUB_DELIVERY + "), or the Unix time in " + TIMESTAMP
                    + " with the signature computed over \"<timestamp>.<body>\"", List.of());
        }
        Outcome.Accepted accepted = (Outcome.Accepted) outcome;
        JsonNode payload;
        try {
            payload = JsonDocuments.parse(body);
        } catch (IOException e) {
            return ApiErrors.of(Response.Status.BAD_REQUEST, "the body is not JSON: " + JsonDocuments.problem(e), List.of());
        }
        PayloadParameters derived = PayloadParameters.derive(accepted.trigger(), payload);
        try {
            ParameterBinder.bind(definition, derived.values());
        } catch (InvalidParametersException e) {
            List<String> problems = new ArrayList<>(derived.missing());
            problems.addAll(e.problems());
            return ApiErrors.of(Response.Status.BAD_REQUEST, "the parameters taken from the body do not fit pipeline \"" + name + "\"", problems);
        }
        String runId = accepted.identity().runId(name);
        try {
            runs.request(runId, definition, derived.values(), TriggerType.WEBHOOK, accepted.identity().requestedBy());
        } catch (TriggeredRuns.CannotSealException e) {
            // The sender has proven it knows the secret, so it may be told.
            return ApiErrors.of(Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), List.of());
        }
        return Response.accepted(PipelineResource.RunStarted.of(runId, registered.get())).build();
    }

    private static Response unauthorized(String pipeline, String reason) {
        // The name comes from the URL: control characters are replaced so that it cannot forge log lines.
        LOG.warnf("webhook delivery for pipeline \"%s\" refused: %s", pipeline.replaceAll("\\p{Cntrl}", "?"), reason);
        return ApiErrors.of(Response.Status.UNAUTHORIZED, "unauthorized", List.of());
    }
}
