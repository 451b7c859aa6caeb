package dev.stagecoach.scheduler.api;

import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.cluster.RunForwarder;
import dev.stagecoach.scheduler.cluster.RunRouting;
import dev.stagecoach.scheduler.cluster.RunRouting.Access;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.streams.RunEngineTopology;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.jboss.logging.Logger;

/**
 * Lets any scheduler instance answer for any run: asks Kafka Streams which instance owns the
 * run, then answers from this instance's store or forwards the request ({@link RunRouting}
 * decides, {@link RunForwarder} sends).
 */
@ApplicationScoped
public class RunRouter {

    private static final Logger LOG = Logger.getLogger(RunRouter.class);
    private final StringSerializer keys = new StringSerializer();

    @Inject
    KafkaStreams streams;
    @Inject
    EngineStores stores;
    @Inject
    StagecoachConfig config;

    private RunRouting routing;
    private RunForwarder forwarder;
    private String instanceId;

    /** A request as it arrived, to be answered here or sent on unchanged. */
    public record Incoming(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        String forwardedBy() {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(RunForwarder.FORWARDED_BY))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    @PostConstruct
    void init() {
        StagecoachConfig.Cluster cluster = config.cluster();
        instanceId = cluster.instanceId();
        routing = new RunRouting(HostInfo.buildFromEndpoint(cluster.advertisedAddress()));
        forwarder = new RunForwarder(instanceId, cluster.forwardTimeout());
    }

    /**
     * @param answer builds the answer from the run's state as this instance's store has it (empty: no such run)
     */
    public Response answer(String runId, Access access, Incoming request, Function<Optional<RunState>, Response> answer) {
        KeyQueryMetadata owner = ownerOf(runId);
        RunRouting.Route route = routing.route(runId, owner, request.forwardedBy(), access);
        if (route instanceof RunRouting.Forward forward) {
            try {
                RunForwarder.Answer answered = forwarder.forward(forward.owner(), request.method(), request.pathAndQuery(),
                        request.headers(), request.body());
                Response.ResponseBuilder response = Response.status(answered.status()).entity(answered.body());
                answered.headers().forEach(response::header);
                return response.build();
            } catch (RunForwarder.OwnerUnreachableException e) {
                LOG.debugf("run %s: owner %s unreachable: %s", runId, RunRouting.address(forward.owner()), e.getMessage());
                route = routing.ownerUnreachable(runId, owner, e.getMessage(), access);
            }
        }
        if (route instanceof RunRouting.Local local) {
            return answeredHere(answer.apply(stores.run(runId, local.partition(), false)), null);
        }
        if (route instanceof RunRouting.Standby standby) {
            return answeredHere(answer.apply(stores.run(runId, standby.partition(), true)), standby.why());
        }
        String why = route instanceof RunRouting.Unavailable unavailable ? unavailable.why() : "unexpected route " + route;
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                .entity(Map.of("error", why, "problems", List.of())).build();
    }

    private Response answeredHere(Response response, String stale) {
        Response.ResponseBuilder builder = Response.fromResponse(response).header(RunForwarder.ANSWERED_BY, instanceId);
        if (stale != null) {
            builder.header(RunForwarder.STALE, stale);
        }
        return builder.build();
    }

    private KeyQueryMetadata ownerOf(String runId) {
        try {
            return streams.queryMetadataForKey(RunEngineTopology.RUNS_STORE, runId, keys);
        } catch (InvalidStateStoreException e) {
            throw new EngineNotReadyException("the run engine is starting or rebalancing (" + e.getMessage() + "); try again shortly");
        } catch (IllegalStateException e) {
            throw new EngineNotReadyException("the run engine is not running (" + e.getMessage() + "); see the scheduler's log");
        }
    }
}
