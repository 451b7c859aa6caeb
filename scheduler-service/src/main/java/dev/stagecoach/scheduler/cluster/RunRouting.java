package dev.stagecoach.scheduler.cluster;

import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Decides which scheduler instance answers a request about one run. A run's state lives in the
 * store of the instance whose stream task owns the run's partition; any instance can ask Kafka
 * Streams who that is ({@link KeyQueryMetadata}), and this class turns the answer into what to
 * do: read here, forward to the owner once, read this instance's standby copy, or say why
 * nobody can answer now.
 */
public final class RunRouting {

    /** Whether the request only reads the run (a standby copy may then answer) or asks for a change. */
    public enum Access { READ, CHANGE }

    public sealed interface Route {
    }

    /** This instance owns the run: read its active store, partition {@code partition}. */
    public record Local(int partition) implements Route {
    }

    /** Another instance owns the run: send it the same request, once. */
    public record Forward(HostInfo owner, int partition) implements Route {
    }

    /** Nobody reachable owns the run, but this instance keeps a standby copy of its partition; it may lag. */
    public record Standby(int partition, String why) implements Route {
    }

    /** Nobody can answer now; {@code why} names the situation for the caller, who retries. */
    public record Unavailable(String why) implements Route {
    }

    private final HostInfo self;

    /** @param self the address this instance advertises to the others (Kafka Streams' {@code application.server}) */
    public RunRouting(HostInfo self) {
        this.self = self;
    }

    public HostInfo self() {
        return self;
    }

    /**
     * @param owner Kafka Streams' metadata for the run's key; null or {@link KeyQueryMetadata#NOT_AVAILABLE} while it is not known
     * @param forwardedBy the instance that forwarded this request here, or null when a client sent it
     */
    public Route route(String runId, KeyQueryMetadata owner, String forwardedBy, Access access) {
        if (!known(owner)) {
            return standbyOr(owner, access, "no scheduler instance owns run " + runId
                    + " at the moment: the instances are rebalancing (one joined, left or stopped answering)");
        }
        if (owner.activeHost().equals(self)) {
            return new Local(owner.partition());
        }
        if (forwardedBy != null) {
            // Two instances disagree about the owner: their metadata are from different moments of a
            // rebalance. Forwarding again could bounce the request around; let the caller retry.
            return standbyOr(owner, access, "run " + runId + " was forwarded here by " + forwardedBy
                    + ", but this instance sees " + address(owner.activeHost()) + " as its owner: ownership is moving between instances");
        }
        return new Forward(owner.activeHost(), owner.partition());
    }

    /** The owner named by {@link Forward} did not answer; {@code problem} says how it failed. */
    public Route ownerUnreachable(String runId, KeyQueryMetadata owner, String problem, Access access) {
        return standbyOr(owner, access, "the scheduler instance that owns run " + runId + ", " + address(owner.activeHost())
                + ", does not answer (" + problem + "); if it stopped, another instance takes its runs over within the session timeout");
    }

    private Route standbyOr(KeyQueryMetadata owner, Access access, String why) {
        if (access == Access.READ && owner != null && owner != KeyQueryMetadata.NOT_AVAILABLE && hasStandby(owner.standbyHosts())) {
            return new Standby(owner.partition(), why + "; answered from this instance's standby copy, which may lag the owner by moments");
        }
        return new Unavailable(why + "; try again in a few seconds");
    }

    private boolean hasStandby(Set<HostInfo> standbys) {
        return standbys != null && standbys.contains(self);
    }

    private static boolean known(KeyQueryMetadata owner) {
        return owner != null && owner != KeyQueryMetadata.NOT_AVAILABLE && owner.activeHost() != null
                && !owner.activeHost().equals(HostInfo.unavailable()) && owner.activeHost().port() > 0;
    }

    public static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
