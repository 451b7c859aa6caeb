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
import dev.stagecoach.scheduler.triggers.RunIds;
import dev.stagecoach.scheduler.triggers.TriggeredRuns;
import dev.stagecoach.scheduler.triggers.WebhookSignature;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A pipeline's webhook: another system POSTs JSON, signed the way GitHub signs its webhooks,
 * and a run starts with parameters taken from the body as the trigger's {@code params} say.
 * Nothing in the body is looked at before the signature proves the sender knows the secret.
 */
@Path("/api/hooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    public static final String SIGNATURE = "X-Stagecoach-Signature";
    public static final String GITHUB_SIGNATURE = "X-Hub-Signature-256";
    public static final String DELIVERY = "X-Stagecoach-Delivery";
    public static final String GITHUB_DELIVERY = "X-GitHub-Delivery";

    @Inject
    EngineStores stores;
    @Inject
    DeploymentSecrets secrets;
    @Inject
    TriggeredRuns runs;
    @Inject
    PipelineRevisions revisions;

    /** A webhook trigger whose secret this scheduler has. */
    private record Keyed(Trigger.Webhook trigger, String secret) {
    }

    /**
     * With a delivery id header the run id derives from it, so a sender that delivers the same
     * event again (GitHub's redeliver, a retry after a timeout) starts one run, not two.
     */
    @POST
    @Path("/{pipeline}")
    @Consumes(MediaType.WILDCARD)
    public Response deliver(@PathParam("pipeline") String name, byte[] body,
                            @HeaderParam(SIGNATURE) String signature, @HeaderParam(GITHUB_SIGNATURE) String githubSignature,
                            @HeaderParam(DELIVERY) String delivery, @HeaderParam(GITHUB_DELIVERY) String githubDelivery) {
        var registered = stores.pipeline(name);
        if (registered.isEmpty()) {
            return ApiErrors.of(Response.Status.NOT_FOUND, "no pipeline named \"" + name + "\" is registered", List.of());
        }
        PipelineDefinition definition = revisions.declared(name, registered.get().getRevision(), registered.get().getYaml());
        List<Trigger.Webhook> webhooks = definition.triggers().stream()
                .filter(Trigger.Webhook.class::isInstance).map(Trigger.Webhook.class::cast).toList();
        if (webhooks.isEmpty()) {
            return ApiErrors.of(Response.Status.NOT_FOUND, "pipeline \"" + name + "\" has no webhook trigger;"
                    + " declare one under triggers, e.g. - webhook: {secret_ref: " + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_WEBHOOK}", List.of());
        }
        List<Keyed> keyed = new ArrayList<>();
        for (Trigger.Webhook webhook : webhooks) {
            String secret = secrets.value(webhook.secretRef());
            if (secret != null && !secret.isEmpty()) {
                keyed.add(new Keyed(webhook, secret));
            }
        }
        if (keyed.isEmpty()) {
            String variables = String.join(" or ", webhooks.stream().map(w -> DeploymentSecrets.variable(w.secretRef())).distinct().toList());
            return ApiErrors.of(Response.Status.SERVICE_UNAVAILABLE, "the scheduler cannot check webhook signatures of pipeline \""
                    + name + "\": its secret is not configured; set the environment variable " + variables + " on the scheduler", List.of());
        }
        String claimed = signature != null ? signature : githubSignature;
        if (claimed == null) {
            return unauthorized("missing signature: send the header " + SIGNATURE + " (or " + GITHUB_SIGNATURE + ") with "
                    + WebhookSignature.PREFIX + "<hex HMAC-SHA256 of the raw body, keyed with the webhook's secret>");
        }
        Keyed signer = null;
        for (Keyed candidate : keyed) {
            WebhookSignature.Verdict verdict = WebhookSignature.verify(claimed, body, candidate.secret());
            if (verdict == WebhookSignature.Verdict.MALFORMED) {
                return unauthorized("malformed signature: expected " + WebhookSignature.PREFIX + " followed by the 64 hex digits of an HMAC-SHA256");
            }
            if (verdict == WebhookSignature.Verdict.VALID) {
                signer = candidate;
                break;
            }
        }
        if (signer == null) {
            return unauthorized("the signature does not match the body; sign the raw body, byte for byte as sent, with the webhook's secret");
        }
        JsonNode payload;
        try {
            payload = JsonDocuments.parse(body);
        } catch (IOException e) {
            return ApiErrors.of(Response.Status.BAD_REQUEST, "the body is not JSON: " + JsonDocuments.problem(e), List.of());
        }
        PayloadParameters derived = PayloadParameters.derive(signer.trigger(), payload);
        try {
            ParameterBinder.bind(definition, derived.values());
        } catch (InvalidParametersException e) {
            List<String> problems = new ArrayList<>(derived.missing());
            problems.addAll(e.problems());
            return ApiErrors.of(Response.Status.BAD_REQUEST, "the parameters taken from the body do not fit pipeline \"" + name + "\"", problems);
        }
        String deliveryId = delivery != null && !delivery.isBlank() ? delivery : githubDelivery;
        boolean identified = deliveryId != null && !deliveryId.isBlank();
        String runId = identified ? RunIds.derive(name, "webhook", deliveryId.trim()) : UUID.randomUUID().toString();
        runs.request(runId, name, derived.values(), TriggerType.WEBHOOK, identified ? "webhook:" + deliveryId.trim() : "webhook");
        return Response.accepted(PipelineResource.RunStarted.of(runId, registered.get())).build();
    }

    private static Response unauthorized(String error) {
        return ApiErrors.of(Response.Status.UNAUTHORIZED, error, List.of());
    }
}
